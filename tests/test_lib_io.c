// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for what cpubench writes and starts (issue 13): files
 * replaced safely, the checked output stream, children that are stopped
 * within bounds, temporary directories, the importers' name checks, the
 * terminal escaping, and the error documents of the CI formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "import/names.h"
#include "lib/child.h"
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/out.h"
#include "lib/safe_file.h"
#include "lib/term.h"
#include "lib/textesc.h"
#include "lib/tmpdir.h"
#include "report/report.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/cpubench-test-io-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cleanup_remove_dir(dir);
	return 0;
}

static const char *path_in(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Only @name in the test directory: no temporary file left beside it. */
static void only(const char *name)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = '%s'", dir, name);
	assert_int_equal(system(cmd), 0);
}

/* ---- safe files ---------------------------------------------------------- */

static void test_safe_file(void **state)
{
	struct safe_file sf;
	struct stat st;

	(void)state;
	assert_int_equal(safe_file_write(path_in("f"), "one\n", 4), 0);
	assert_string_equal(slurp(path_in("f")), "one\n");
	/* a replacement keeps the mode */
	assert_int_equal(chmod(path_in("f"), 0640), 0);
	assert_int_equal(safe_file_write(path_in("f"), "two\n", 4), 0);
	assert_string_equal(slurp(path_in("f")), "two\n");
	assert_int_equal(stat(path_in("f"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	only("f");
	/* discarded: the old file as it was, no temporary file */
	assert_int_equal(safe_file_open(&sf, path_in("f")), 0);
	safe_file_put(&sf, "three\n", 6);
	safe_file_discard(&sf);
	assert_string_equal(slurp(path_in("f")), "two\n");
	only("f");
	/* a write that failed: commit refuses, nothing replaced */
	assert_int_equal(safe_file_open(&sf, path_in("f")), 0);
	sf.err = ENOSPC;
	assert_int_equal(safe_file_commit(&sf), -1);
	assert_non_null(strstr(err_msg(), "No space left on device"));
	assert_string_equal(slurp(path_in("f")), "two\n");
	only("f");
}

static void test_safe_file_refuses(void **state)
{
	(void)state;
	assert_int_equal(safe_file_write(path_in("victim"), "kept\n", 5), 0);
	assert_int_equal(symlink("victim", path_in("link")), 0);
	assert_int_equal(safe_file_write(path_in("link"), "x", 1), -1);
	assert_non_null(strstr(err_msg(), "a symbolic link"));
	assert_string_equal(slurp(path_in("victim")), "kept\n");
	assert_int_equal(mkfifo(path_in("fifo"), 0600), 0);
	assert_int_equal(safe_file_write(path_in("fifo"), "x", 1), -1);
	assert_non_null(strstr(err_msg(), "(a FIFO)"));
	assert_int_equal(safe_file_write(dir, "x", 1), -1);
	assert_non_null(strstr(err_msg(), "(a directory)"));
	assert_int_equal(safe_file_write("/dev/null", "x", 1), -1);
	assert_non_null(strstr(err_msg(), "(a device)"));
	assert_int_equal(safe_file_write(path_in("no/such/dir"), "x", 1), -1);
	assert_int_equal(safe_file_write(path_in("new/"), "x", 1), -1);
	assert_non_null(strstr(err_msg(), "not a file name"));
	unlink(path_in("link"));
	unlink(path_in("fifo"));
	only("victim");
}

/* ---- the output stream ----------------------------------------------------- */

static void test_out(void **state)
{
	FILE *full = fopen("/dev/full", "w");
	FILE *mem;
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	/* another stream than the output: named "the output" */
	assert_non_null(full);
	fputs("x", full);
	assert_int_equal(out_flush(full), -1);
	assert_non_null(strstr(err_msg(), "cannot write the output: No space left"));
	fclose(full);
	mem = open_memstream(&buf, &len);
	assert_int_equal(out_json(mem, NULL), -1);
	assert_int_equal(out_json(mem, json_pack("{s:i}", "a", 1)), 0);
	fclose(mem);
	assert_string_equal(buf, "{\n  \"a\": 1\n}\n");
	free(buf);
	assert_false(out_isatty(stderr) && !isatty(STDERR_FILENO));
	/* --output: refused targets, then a file that appears on close only */
	assert_int_equal(out_open(dir), -1);
	assert_int_equal(out_open(path_in("report")), 0);
	assert_int_equal(out_open(path_in("other")), -1);
	assert_non_null(strstr(err_msg(), "given twice"));
	assert_string_equal(out_name(), path_in("report"));
	fputs("report\n", out_stream());
	assert_int_equal(access(path_in("report"), F_OK), -1);
	assert_int_equal(out_close(true), 0);
	assert_string_equal(slurp(path_in("report")), "report\n");
	only("report");
	/* not kept: the previous file stays */
	assert_int_equal(out_open(path_in("report")), 0);
	fputs("half", out_stream());
	assert_int_equal(out_close(false), 0);
	assert_string_equal(slurp(path_in("report")), "report\n");
	only("report");
	assert_false(out_failed());
	assert_string_equal(out_name(), "standard output");
}

/* ---- children ---------------------------------------------------------------- */

static void test_child(void **state)
{
	const char *true_argv[] = { "true", NULL };
	const char *none_argv[] = { "/nonexistent/cpubench-qemu", NULL };
	const char *sleep_argv[] = { "sleep", "30", NULL };
	const char *stubborn[] = { "sh", "-c", "trap '' TERM; while :; do sleep 1; done", NULL };
	const char *echo_argv[] = { "echo", "hello", NULL };
	struct child c;
	char how[64], *text;

	(void)state;
	assert_int_equal(child_start(&c, true_argv, -1, -1, -1), 0);
	assert_true(child_wait(&c, 5000));
	assert_string_equal(child_status_text(&c, how, sizeof(how)), "exit status 0");
	child_stop(&c);		/* again: nothing to do */

	assert_int_equal(child_start(&c, none_argv, -1, -1, -1), -1);
	assert_int_equal(c.exec_errno, ENOENT);
	assert_non_null(strstr(err_msg(), "cannot run /nonexistent/cpubench-qemu"));

	/* bounded: one that runs on is stopped (SIGTERM) */
	assert_int_equal(child_start(&c, sleep_argv, -1, -1, -1), 0);
	assert_false(child_exited(&c));
	assert_string_equal(child_status_text(&c, how, sizeof(how)), "still running");
	assert_false(child_wait(&c, 20));
	assert_true(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGTERM);
	assert_string_equal(child_status_text(&c, how, sizeof(how)), "killed by signal 15");

	/* one that ignores SIGTERM gets SIGKILL after the grace period */
	assert_int_equal(child_start(&c, stubborn, -1, -1, -1), 0);
	usleep(100 * 1000);	/* the trap is set */
	child_stop(&c);
	assert_true(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGKILL);

	/* a finished one's end: SIGKILL at once */
	assert_int_equal(child_start(&c, sleep_argv, -1, -1, -1), 0);
	child_kill(&c);
	assert_true(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGKILL);

	assert_int_equal(child_output(echo_argv, 1024, 5000, &text), 0);
	assert_string_equal(text, "hello\n");
	free(text);
	assert_int_equal(child_output(sleep_argv, 1024, 50, &text), -1);
	assert_non_null(strstr(err_msg(), "did not finish within 50 ms"));
	assert_null(text);
}

/* ---- temporary directories and the cleanup registry ---------------------- */

static void test_tmpdir(void **state)
{
	char t[512], file[600];

	(void)state;
	setenv("TMPDIR", dir, 1);
	assert_int_equal(tmpdir_create(t, sizeof(t), "test"), 0);
	assert_int_equal(strncmp(t, dir, strlen(dir)), 0);
	snprintf(file, sizeof(file), "%s/sock", t);
	assert_int_equal(safe_file_write(file, "x", 1), 0);
	tmpdir_remove(t);
	assert_string_equal(t, "");
	only("");
	assert_int_equal(tmpdir_create(t, 8, "test"), -1);
	assert_non_null(strstr(err_msg(), "TMPDIR is too long"));
	unsetenv("TMPDIR");

	for (int i = 0; i < CLEANUP_MAX; i++)
		assert_int_equal(cleanup_add_file(path_in("slot")), 0);
	assert_int_equal(cleanup_add_file(path_in("slot")), -1);
	cleanup_del_file(path_in("slot"));
	assert_int_equal(cleanup_stop_child(getpid() + 1000000, 10), -1);
}

/* ---- names from outside ------------------------------------------------- */

static void test_import_names(void **state)
{
	struct import_name ok[] = {
		{ "Haswell-v1", NULL, "q" }, { "Haswell-v2", "Haswell-v1", "q" },
		{ "Haswell", "Haswell-v1", "q" },
	};
	struct import_name dup[] = { { "A", NULL, "a.xml" }, { "A", NULL, "b.xml" } };
	struct import_name caseless[] = { { "A", NULL, "q" }, { "a", NULL, "q" } };
	struct import_name loop[] = { { "A", "B", "q" }, { "B", "C", "q" }, { "C", "A", "q" } };
	struct import_name missing[] = { { "A", "b", "q" }, { "B", NULL, "q" } };

	(void)state;
	assert_int_equal(import_names_check(ok, 3), 0);
	assert_int_equal(import_names_check(dup, 2), -1);
	assert_non_null(strstr(err_msg(), "a.xml and b.xml both define model 'A'"));
	assert_int_equal(import_names_check(caseless, 2), -1);
	assert_non_null(strstr(err_msg(), "differ only in case"));
	assert_int_equal(import_names_check(loop, 3), -1);
	assert_non_null(strstr(err_msg(), "inherits itself"));
	/* parents match exactly: 'b' is not 'B' */
	assert_int_equal(import_names_check(missing, 2), -1);
	assert_non_null(strstr(err_msg(), "inherits 'b', which this import does not define"));
	assert_int_equal(import_name_check("q", "a/b", 0), -1);
	assert_non_null(strstr(err_msg(), "1 to 63 letters"));
	assert_int_equal(import_name_check("x.xml", "x\nfeatures: +avx", 8), -1);
	assert_non_null(strstr(err_msg(), "'x?features: +avx'"));
	assert_non_null(strstr(err_msg(), "1 to 55 letters"));
	assert_int_equal(import_name_check("q", ".hidden", 0), -1);
	assert_int_equal(import_name_check("q", "", 0), -1);
	assert_int_equal(import_name_check("q", "Opteron_G5-v1.2", 0), 0);
}

/* ---- terminal text ------------------------------------------------------- */

static void test_text_safe(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(text_safe(buf, sizeof(buf), "a\x1b[31mb\rc\td"), "a?[31mb?c?d");
	/* C1 CSI, a bidi override, invalid UTF-8; kept: an em dash */
	assert_string_equal(text_safe(buf, sizeof(buf), "\xc2\x9b" "1\xe2\x80\xae" "2\xff\xe2\x80\x94"),
			    "?1?2?\xe2\x80\x94");
	/* cut at a character, never inside one */
	assert_string_equal(text_safe(buf, 4, "ab\xe2\x80\x94"), "ab");
	assert_string_equal(text_safe(buf, sizeof(buf), NULL), "");
	err_set("model '%s'", "x\xc2\x9b\x1b");
	assert_string_equal(err_msg(), "model 'x?" "?'");
}

/* ---- the CI formats' error documents -------------------------------------- */

static char *render_error(enum report_format f, int status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(report_write_error(out, f, "cpubench verify",
					    "unknown mask 'a<b>\x1b'", status), 0);
	fclose(out);
	return buf;
}

static void test_error_documents(void **state)
{
	char *s;

	(void)state;
	s = render_error(REPORT_JUNIT, EXIT_ENV);
	assert_non_null(strstr(s, "<error message=\"unknown mask &apos;a&lt;b&gt;?&apos;\" "
				  "type=\"environment\">"));
	assert_non_null(strstr(s, " timestamp=\""));
	free(s);
	s = render_error(REPORT_TAP, EXIT_USAGE);
	assert_string_equal(s, "TAP version 13\nBail out! cpubench verify: unknown mask 'a<b>?'\n");
	free(s);
	s = render_error(REPORT_JSON, EXIT_USAGE);
	assert_non_null(strstr(s, "\"exit_status\": 2,\n  \"passed\": false"));
	free(s);
	s = render_error(REPORT_TABLE, EXIT_USAGE);
	assert_true(!s || !*s);
	free(s);
}

/* @text through term_wrap(@col, @indent, @width) is @want. */
static void assert_wrapped(const char *text, unsigned int col, unsigned int indent,
			   unsigned int width, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	term_wrap(f, text, col, indent, width);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
}

/* The width, the colour rule, cutting and wrapping (lib/term.h). */
static void test_term(void **state)
{
	char buf[64];

	(void)state;
	/* not a terminal: $COLUMNS, else 100; never below the minimum */
	unsetenv("COLUMNS");
	assert_int_equal(term_columns(-1), TERM_DEFAULT_COLUMNS);
	setenv("COLUMNS", "132", 1);
	assert_int_equal(term_columns(-1), 132);
	setenv("COLUMNS", "5", 1);
	assert_int_equal(term_columns(-1), TERM_MIN_COLUMNS);
	setenv("COLUMNS", "wide", 1);
	assert_int_equal(term_columns(-1), TERM_DEFAULT_COLUMNS);
	unsetenv("COLUMNS");

	/* colour: always and never whatever the rest; auto: a terminal,
	 * no NO_COLOR (non-empty), no TERM=dumb */
	assert_int_equal(term_colour_parse("always"), TERM_COLOUR_ALWAYS);
	assert_int_equal(term_colour_parse("Always"), -1);
	setenv("NO_COLOR", "1", 1);
	setenv("TERM", "dumb", 1);
	assert_true(term_colour_on(TERM_COLOUR_ALWAYS, false));
	assert_false(term_colour_on(TERM_COLOUR_AUTO, true));
	unsetenv("NO_COLOR");
	assert_false(term_colour_on(TERM_COLOUR_AUTO, true));
	setenv("TERM", "xterm", 1);
	assert_true(term_colour_on(TERM_COLOUR_AUTO, true));
	assert_false(term_colour_on(TERM_COLOUR_AUTO, false));
	assert_false(term_colour_on(TERM_COLOUR_NEVER, true));
	setenv("NO_COLOR", "", 1);
	assert_true(term_colour_on(TERM_COLOUR_AUTO, true));
	unsetenv("NO_COLOR");

	/* cut to a width with an ellipsis; UTF-8 counts by character */
	assert_string_equal(term_fit(buf, sizeof(buf), "vmxon qword", 6), "vmxon\xe2\x80\xa6");
	assert_string_equal(term_fit(buf, sizeof(buf), "short", 6), "short");
	assert_string_equal(term_fit(buf, sizeof(buf), "a\xe2\x80\x94" "bcdef", 4), "a\xe2\x80\x94" "b\xe2\x80\xa6");
	assert_int_equal(term_text_columns("a\xe2\x80\x94" "b"), 3);

	/* words whole, blanks kept within a line, continued lines indented */
	assert_wrapped("one  two three four", 0, 2, 10, "one  two\n  three\n  four");
	/* a word wider than a line is the only one cut */
	assert_wrapped("abcdefghijkl xy", 0, 2, 8, "abcdefgh\n  ijkl\n  xy");
	/* no width: one line, trailing blanks dropped */
	assert_wrapped("a b  ", 0, 2, 0, "a b");
	/* from column 7, at most the indent: no break before the first word */
	assert_wrapped(" next", 7, 4, 10, "\n    next");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_safe_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_safe_file_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out, setup, teardown),
		cmocka_unit_test(test_child),
		cmocka_unit_test_setup_teardown(test_tmpdir, setup, teardown),
		cmocka_unit_test(test_import_names),
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_text_safe),
		cmocka_unit_test(test_error_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
