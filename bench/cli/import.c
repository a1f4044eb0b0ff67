// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu|qemu-source|libvirt ...`: reads another stack's
 * CPU models (import/) and writes them as mask files; parsing and
 * printing only.
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
#include "import/qemu_source_import.h"
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

static const char import_qemu_source_help[] =
	"usage: cpubench import qemu-source DIR [--out DIR] [--keep-existing]\n"
	"\n"
	"Writes one mask file per CPU model, version and alias that a QEMU source\n"
	"tree defines, read from DIR/target/i386/cpu.c and cpu.h as data (no\n"
	"compiler, no QEMU build), the way 'import qemu' writes them. Each file\n"
	"names its source (the tree's git commit, or its path) and version.\n"
	"\n"
	"  --out DIR          where to write NAME.mask files (default: .)\n"
	"  --keep-existing    leave a NAME.mask that is already there as it is\n"
	"                     (e.g. add only what QEMU 7.2 lacks to masks/)\n";

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

/* "NAME: N feature(s) or properties cpubench cannot represent: a b" on stderr. */
static void print_unmapped(const char *src, const char *name, unsigned int n,
			   const char (*names)[48], unsigned int max)
{
	if (!n)
		return;
	/* the names are QEMU's or the XML's: escaped */
	fprintf(stderr, "cpubench: import %s: %s: %u feature(s) or properties cpubench cannot represent:",
		src, name, n);
	for (unsigned int k = 0; k < n && k < max; k++) {
		fputc(' ', stderr);
		text_put(stderr, names[k]);
	}
	fputc('\n', stderr);
}

/*
 * Writes @im into @out_dir and prints what was written; the names
 * without a known first QEMU release are named on stderr.
 */
static int import_finish(const char *src, const struct qemu_import *im,
			 const char *out_dir, bool keep_existing)
{
	unsigned int naliases = 0, kept = 0, undated = 0;
	FILE *out = out_stream();

	for (unsigned int i = 0; i < im->n; i++) {
		print_unmapped(src, im->v[i].name, im->v[i].m.nunmapped, im->v[i].m.unmapped,
			       QEMU_UNMAPPED_MAX);
		naliases += im->v[i].alias_of[0] != '\0';
		undated += !im->v[i].qemu_since[0];
	}
	if (qemu_import_write(im, out_dir, keep_existing, &kept)) {
		fprintf(stderr, "cpubench: import %s: %s\n", src, err_msg());
		return err_class();
	}
	/* the source and the directory are the user's or QEMU's: escaped */
	fprintf(out, "%s%u mask files (%u models, %u aliases) from ", kept ? "" : "wrote ",
		im->n, im->n - naliases, naliases);
	text_put(out, im->source);
	if (kept)
		fprintf(out, ": wrote %u to ", im->n - kept);
	else
		fputs(" to ", out);
	text_put(out, out_dir);
	if (kept)
		fprintf(out, ", kept the %u that were there", kept);
	fputc('\n', out);
	if (im->nunmapped)
		fprintf(stderr, "cpubench: import %s: %u model(s) have features cpubench cannot represent: listed above and in each file's comments\n",
			src, im->nunmapped);
	if (undated) {
		fprintf(stderr, "cpubench: import %s: no first QEMU release known for %u name(s), written without qemu-since:",
			src, undated);
		for (unsigned int i = 0; i < im->n; i++)
			if (!im->v[i].qemu_since[0])
				fprintf(stderr, " %s", im->v[i].name);
		fputc('\n', stderr);
	}
	return EXIT_HOLDS;
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
	if (qemu_import_read(&im, &qc)) {
		fprintf(stderr, "cpubench: import qemu: %s\n", err_msg());
		ret = err_class();
	} else {
		ret = import_finish("qemu", &im, out_dir, false);
	}
	qemu_catalog_close(&qc);
	qemu_import_free(&im);
	return ret;
}

static int cmd_import_qemu_source(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "keep-existing", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct qemu_import im = { 0 };
	const char *dir, *out_dir = ".";
	bool keep = false;
	char source[512];
	struct qsrc q;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out_dir = optarg; break;
		case 'k': keep = true; break;
		case 'h': fputs(import_qemu_source_help, out_stream()); return EXIT_HOLDS;
		default:
			return import_usage("qemu-source", "unknown or incomplete option '%s'",
					    argv[optind - 1]);
		}
	}
	if (optind == argc)
		return import_usage("qemu-source", "%s", "needs a QEMU source directory");
	dir = argv[optind++];
	if (optind < argc)
		return import_usage("qemu-source", "unexpected argument '%s'", argv[optind]);
	if ((ret = make_out_dir(out_dir)))
		return ret;
	if (qsrc_load(dir, &q)) {
		fprintf(stderr, "cpubench: import qemu-source: %s\n", err_msg());
		return EXIT_USAGE;
	}
	if (qemu_import_from_source(&im, &q, source, sizeof(source))) {
		fprintf(stderr, "cpubench: import qemu-source: %s\n", err_msg());
		ret = EXIT_USAGE;
	} else {
		ret = import_finish("qemu-source", &im, out_dir, keep);
	}
	qemu_import_free(&im);
	qsrc_free(&q);
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
	if (argc >= 2 && !strcmp(argv[1], "qemu-source"))
		return cmd_import_qemu_source(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "libvirt"))
		return cmd_import_libvirt(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: cpubench import qemu [--qemu PATH] [--out DIR]\n"
		      "       cpubench import qemu-source DIR [--out DIR] [--keep-existing]\n"
		      "       cpubench import libvirt [CPU_MAP_DIR] [--out DIR]\n", out_stream());
		return EXIT_HOLDS;
	}
	fprintf(stderr, "cpubench: import needs a source: 'cpubench import qemu|qemu-source DIR|libvirt [--out DIR]'\n");
	return EXIT_USAGE;
}
