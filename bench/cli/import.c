// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu|qemu-source|libvirt ...`: reads another stack's
 * CPU models (import/) and writes them as mask files; parsing and
 * printing only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "import/libvirt.h"
#include "import/qemu.h"
#include "import/qemu_source_import.h"
#include "lib/err.h"
#include "lib/suggest.h"
#include "lib/textesc.h"

static int import_usage(const char *src, const char *fmt, const char *arg)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "import %s", src);
	return hcmd_usage(cmd, fmt, arg);
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

/* qemu_import_read()'s step: QMP expands one model at a time (progress.h). */
static void import_step(unsigned int done, unsigned int total, const char *name)
{
	if (!done)
		progress_begin("import qemu", total);
	progress_show(done, name ? name : "");
}

static int cmd_import_qemu(int argc, char **argv)
{
	struct qemu_import im = { 0 };
	struct qemu_catalog qc;
	const char *qemu = NULL, *out_dir = ".";
	int c, ret;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "import qemu")) != -1) {
		switch (c) {
		case 'q': qemu = optarg; break;
		case 'o': out_dir = optarg; break;
		default:
			return EXIT_USAGE;
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
	ret = qemu_import_read(&im, &qc, import_step);
	progress_end();
	if (ret) {
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
	struct qemu_import im = { 0 };
	const char *dir, *out_dir = ".";
	bool keep = false;
	char source[512];
	struct qsrc q;
	int c, ret;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "import qemu-source")) != -1) {
		switch (c) {
		case 'o': out_dir = optarg; break;
		case 'k': keep = true; break;
		default:
			return EXIT_USAGE;
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
	const char *dir = LIBVIRT_CPU_MAP, *out_dir = ".";
	struct libvirt_model *v = NULL;
	int c, n, ret;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "import libvirt")) != -1) {
		switch (c) {
		case 'o': out_dir = optarg; break;
		default:
			return EXIT_USAGE;
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
		cli_help_print(out_stream(), cli_cmd_find("import"));
		return EXIT_HOLDS;
	}
	if (argc >= 2) {
		static const char *const sources[] = { "qemu", "qemu-source", "libvirt" };
		char dym[64] = "";
		const char *sugg = name_suggest(argv[1], sources, 3);

		did_you_mean(dym, sizeof(dym), sugg);
		err_set("import: unknown source '%s'%s (see 'cpubench help import')", argv[1], dym);
		fprintf(stderr, "cpubench: %s\n", err_msg());
		return EXIT_USAGE;
	}
	fprintf(stderr, "cpubench: import needs a source: 'cpubench import qemu|qemu-source DIR|libvirt [--out DIR]'\n");
	return EXIT_USAGE;
}
