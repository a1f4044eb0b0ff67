// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu|libvirt ...`: reads another stack's CPU models
 * (import/) and writes them as mask files; parsing and printing only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/common.h"
#include "cli/output.h"
#include "import/libvirt.h"
#include "import/qemu.h"
#include "lib/err.h"
#include "lib/textesc.h"

static const char import_qemu_help[] =
	"usage: cpubench import qemu [--qemu PATH] [--out DIR]\n"
	"\n"
	"Writes one mask file per CPU model, version and alias of an installed\n"
	"QEMU, from its own QMP answers (it runs QEMU with -machine none).\n"
	"\n"
	"  --qemu PATH   the QEMU binary (default qemu-system-x86_64)\n"
	"  --out DIR     where to write NAME.mask files (default: .)\n";

static const char import_libvirt_help[] =
	"usage: cpubench import libvirt [DIR] [--out DIR]\n"
	"Writes libvirt-MODEL.mask for every x86 model of a libvirt cpu_map\n"
	"directory (default " LIBVIRT_CPU_MAP ") into --out (default .).\n";

static int import_usage(const char *src, const char *fmt, const char *arg)
{
	return hcmd_usage(!strcmp(src, "qemu") ? "import qemu" : "import libvirt", fmt, arg);
}

static int make_out_dir(const char *out_dir)
{
	if (mkdir(out_dir, 0777) && errno != EEXIST) {
		err_set_errno(errno, "cannot create %s", out_dir);
		return hcmd_fail();
	}
	return 0;
}

/* "NAME: N feature(s) not in cpubench's database: a b c" on stderr. */
static void print_unmapped(const char *src, const char *name, unsigned int n,
			   const char (*names)[48], unsigned int max)
{
	if (!n)
		return;
	/* the names are QEMU's or the XML's: escaped */
	fprintf(stderr, "cpubench: import %s: %s: %u feature(s) not in cpubench's database:",
		src, name, n);
	for (unsigned int k = 0; k < n && k < max; k++) {
		fputc(' ', stderr);
		text_put(stderr, names[k]);
	}
	fputc('\n', stderr);
}

static int cmd_import_qemu(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "qemu", required_argument, NULL, 'q' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct qemu_import im = { 0 };
	struct qemu_catalog qc;
	const char *qemu = NULL, *out_dir = ".";
	unsigned int naliases = 0;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': qemu = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'h': fputs(import_qemu_help, out_stream()); return EXIT_HOLDS;
		default:
			return import_usage("qemu", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return import_usage("qemu", "unexpected argument '%s'", argv[optind]);
	if ((ret = make_out_dir(out_dir)))
		return ret;
	if (qemu_catalog_open(&qc, qemu)) {
		fprintf(stderr, "cpubench: %s\n", err_msg());
		return err_class();
	}
	ret = qemu_import_read(&im, &qc);
	for (unsigned int i = 0; !ret && i < im.n; i++) {
		print_unmapped("qemu", im.v[i].name, im.v[i].m.nunmapped,
			       im.v[i].m.unmapped, QEMU_UNMAPPED_MAX);
		naliases += im.v[i].alias_of[0] != '\0';
	}
	if (!ret)
		ret = qemu_import_write(&im, out_dir);
	if (ret) {
		fprintf(stderr, "cpubench: import qemu: %s\n", err_msg());
		ret = err_class();
	} else {
		fprintf(out_stream(), "wrote %u mask files (%u models, %u aliases) from ",
			im.n, im.n - naliases, naliases);
		text_put(out_stream(), qc.version);
		fputs(" to ", out_stream());
		text_put(out_stream(), out_dir);
		fputc('\n', out_stream());
		if (im.nunmapped)
			fprintf(stderr, "cpubench: import qemu: %u model(s) have features cpubench cannot represent: listed above and in each file's comments\n",
				im.nunmapped);
	}
	qemu_catalog_close(&qc);
	qemu_import_free(&im);
	return ret;
}

static int cmd_import_libvirt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = LIBVIRT_CPU_MAP, *out_dir = ".";
	struct libvirt_model *v = NULL;
	int c, n, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out_dir = optarg; break;
		case 'h': fputs(import_libvirt_help, out_stream()); return EXIT_HOLDS;
		default:
			return import_usage("libvirt", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		return import_usage("libvirt", "unexpected argument '%s'", argv[optind]);
	if ((ret = make_out_dir(out_dir)))
		return ret;
	n = libvirt_read_models(dir, &v);
	if (n < 0 || libvirt_write_masks(v, n, dir, out_dir)) {
		fprintf(stderr, "cpubench: import libvirt: %s\n", err_msg());
		free(v);
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++)
		print_unmapped("libvirt", v[i].name, v[i].nunmapped, v[i].unmapped,
			       LIBVIRT_UNMAPPED_MAX);
	fprintf(out_stream(), "wrote %d mask files from ", n);
	text_put(out_stream(), dir);
	fputs(" to ", out_stream());
	text_put(out_stream(), out_dir);
	fputc('\n', out_stream());
	free(v);
	return EXIT_HOLDS;
}

int cmd_import(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "qemu"))
		return cmd_import_qemu(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "libvirt"))
		return cmd_import_libvirt(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: cpubench import qemu [--qemu PATH] [--out DIR]\n"
		     "       cpubench import libvirt [CPU_MAP_DIR] [--out DIR]" "\n", out_stream());
		return EXIT_HOLDS;
	}
	fprintf(stderr, "cpubench: import needs a source: 'cpubench import qemu|libvirt [--out DIR]'\n");
	return EXIT_USAGE;
}
