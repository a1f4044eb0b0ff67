// SPDX-License-Identifier: GPL-2.0-only
/* Progress on a terminal's stderr (progress.h). */
#include "cli/progress.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/term.h"

static struct {
	bool on;
	const char *what;
	unsigned int total;
	long long started;	/* clock_ms() at progress_begin() */
} p;

void progress_begin(const char *what, unsigned int total)
{
	const char *term = getenv("TERM");

	/* a dumb terminal cannot erase a line */
	p.on = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
	p.what = what;
	p.total = total;
	p.started = clock_ms();
	progress_show(0, NULL);
}

void progress_show(unsigned int done, const char *current)
{
	long long spent = clock_ms() - p.started;
	char line[256], fit[sizeof(line)];
	int n;

	if (!p.on)
		return;
	n = snprintf(line, sizeof(line), "%s %u/%u", p.what, done, p.total);
	if (current && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " %s", current);
	/* the time left, from the pace so far */
	if (done && done < p.total && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, ", about %lld s left",
			 (spent * (p.total - done) / done + 999) / 1000);
	/* one line: a line that wraps cannot be redrawn with \r */
	term_fit(fit, sizeof(fit), line, term_columns(STDERR_FILENO) - 1);
	fprintf(stderr, "\r%s\033[K", fit);
	fflush(stderr);
}

void progress_end(void)
{
	if (p.on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p.on = false;
}
