// SPDX-License-Identifier: GPL-2.0-only
/* `cpubench migrate --from A --to B [--backend kvm|qemu-tcg|qemu-kvm]` */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "lib/err.h"
#include "migrate/migrate.h"
#include "report/migrate.h"
#include "vmm/kvm.h"

static int usage_error(const char *fmt, const char *arg)
{
	return cmd_usage_error("migrate", fmt, arg);
}

static int fail(void)
{
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return err_class();
}

int cmd_migrate(int argc, char **argv)
{
	struct migrate_report *r = calloc(1, sizeof(*r));
	const char *backend = "kvm", *device = getenv("CPUBENCH_KVM_DEVICE");
	const char *masks_dir = NULL;
	struct mask a, b_mask;
	struct backend b;
	bool json = false;
	int c, ret;

	if (!r)
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	if (!device || !*device)
		device = KVM_DEFAULT_DEVICE;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "migrate")) != -1) {
		switch (c) {
		case 'f': r->from = optarg; break;
		case 't': r->to = optarg; break;
		case 'b': backend = optarg; break;
		case 'd': device = optarg; break;
		case 'D': masks_dir = optarg; break;
		case 'F':
			if (strcmp(optarg, "table") && strcmp(optarg, "json")) {
				ret = usage_error("unknown format '%s': use table or json", optarg);
				goto out;
			}
			json = !strcmp(optarg, "json");
			cli_output_format(json ? REPORT_JSON : REPORT_TABLE);
			break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("migrate", optarg)))
				goto out;
			break;
		default:
			ret = EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		ret = usage_error("unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!r->from || !r->to) {
		ret = usage_error("%s needs --from MODEL and --to MODEL", "migrate");
		goto out;
	}
	/* Bad input is reported before the environment is looked at. */
	if (mask_resolve(r->from, masks_dir, NULL, &a) ||
	    mask_resolve(r->to, masks_dir, NULL, &b_mask)) {
		ret = fail();
		goto out;
	}
	if (backend_open(&b, backend, device)) {
		ret = fail();
		goto out;
	}
	mask_bind_host(&a, &b.host);
	mask_bind_host(&b_mask, &b.host);
	r->a = &a;
	r->b = &b_mask;
	ret = migrate_run(&b, r);
	backend_close(&b);
	if (ret)
		ret = fail();
	else if (migrate_report_write(out_stream(), r, json))
		ret = fail();
	else
		ret = migrate_post_faults(r) || r->refused ? EXIT_BROKEN : EXIT_HOLDS;
out:
	free(r);
	return ret;
}
