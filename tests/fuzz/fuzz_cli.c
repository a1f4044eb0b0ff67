// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the command line: the input is argv, one argument per line
 * (argv[0] is "cpubench"), dispatched like bench/main.c does to the cmd_*
 * entry points that need neither a KVM device nor QEMU to reject bad
 * input. The environment points the KVM device and QEMU at paths that do
 * not exist, so a command line that gets past its checks ends with exit 3
 * before any guest runs.
 *
 * Not fuzzed (dropped inputs): `host` (reads this machine), options that
 * exit the process (--help) or choose the device, the backend or a file
 * to write (--kvm-device, --backend, --compare-backends, --save; getopt
 * accepts any unambiguous prefix, so prefixes are dropped too), and file
 * arguments outside the working directory: an argument with a '/' is
 * dropped, except @1..@4, which name host files of tests/data/hosts/.
 * Output goes to /dev/null.
 */
#include <getopt.h>
#include <stdbool.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "fuzz.h"

#define MAX_ARGS 16

static const char *const host_files[] = {
	"tests/data/hosts/alderlake-i7-12700k.cpuinfo",
	"tests/data/hosts/raptorlake-i9-13900k.flags",
	"tests/data/hosts/zen3-epyc-7763.lscpu",
	"tests/data/hosts/zen4-epyc-9654.cpuinfo",
};

static const char *const banned[] = {
	"help", "kvm-device", "backend", "compare-backends", "save", "output",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int null = open("/dev/null", O_WRONLY);

	(void)argc;
	(void)argv;
	setenv("CPUBENCH_KVM_DEVICE", "/nonexistent/cpubench-fuzz-kvm", 1);
	setenv("CPUBENCH_QEMU", "/nonexistent/cpubench-fuzz-qemu", 1);
	setenv("NO_COLOR", "1", 1);
	if (null >= 0) {
		fflush(stdout);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	return 0;
}

/* Whether "--NAME[=...]" could select a banned option (an abbreviation). */
static bool is_banned(const char *arg)
{
	size_t len;

	if (arg[0] != '-')
		return false;
	if (arg[1] != '-')
		return arg[1] == 'h';
	arg += 2;
	len = strcspn(arg, "=");
	if (!len)
		return false;
	for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (!strncmp(arg, banned[i], len))
			return true;
	return false;
}

static int dispatch(int argc, char **argv)
{
	const char *c = argv[1];

	if (!strcmp(c, "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (!strcmp(c, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(c, "matrix"))
		return cmd_matrix(argc - 1, argv + 1);
	if (!strcmp(c, "probes"))
		return cmd_probes(argc - 1, argv + 1);
	if (!strcmp(c, "baseline"))
		return cmd_baseline(argc - 1, argv + 1);
	if (!strcmp(c, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(c, "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(c, "emit"))
		return cmd_emit(argc - 1, argv + 1);
	return -1;
}

/*
 * glibc's getopt keeps a pointer into the previous argv when that parse
 * stopped inside a cluster of short options; the commands reset only
 * optind = 1. optind = 0 makes getopt reinitialize (a one-shot process
 * never needs this).
 */
static void getopt_reset(void)
{
	static char *none[] = { "cpubench", NULL };

	optind = 0;
	opterr = 0;
	getopt_long(1, none, "", NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2];
	char *text = fuzz_text(data, size), *s = text;
	int argc = 0, ret;

	if (memchr(data, '\0', size))
		goto out;	/* no argument can contain a NUL */
	argv[argc++] = "cpubench";
	while (s && argc <= MAX_ARGS) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		if (s[0] == '@' && s[1] >= '1' && s[1] <= '4' && !s[2])
			argv[argc] = (char *)host_files[s[1] - '1'];
		else if (is_banned(s) || strchr(s, '/'))
			goto out;
		else
			argv[argc] = s;
		argc++;
		s = nl ? nl + 1 : NULL;
	}
	if (s || argc < 2)
		goto out;
	argv[argc] = NULL;
	getopt_reset();
	err_clear();
	ret = dispatch(argc, argv);
	fflush(stdout);
	/* the documented statuses only; 3: the device does not exist */
	FUZZ_ASSERT(ret == -1 || (ret >= 0 && ret <= 3));
out:
	free(text);
	return 0;
}
