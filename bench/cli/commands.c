// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every command and every option cpubench takes (commands.h): the data
 * from which getopt's tables, --help, the completions and the man page
 * check are made. Texts are wrapped for an 80-column terminal: an option's
 * help lines are at most 56 characters, the other lines at most 76.
 */
#include "cli/commands.h"

#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "emit/emit.h"
#include "import/libvirt.h"
#include "lib/suggest.h"

/* Rows several commands share, each with the command's own getopt value. */
#define OPT_FORMAT_TJ(v, what)						\
	{ "format", "table|json", v, "table (default) or json" what, "table json" }
#define OPT_MASKS_DIR(v)						\
	{ "masks-dir", "DIR", v, "also load *.mask files from DIR", NULL }
#define OPT_KVM_DEVICE(v)						\
	{ "kvm-device", "PATH", v, "KVM device (default /dev/kvm, or\n"	\
	  "$CPUBENCH_KVM_DEVICE)", NULL }
#define OPT_BACKEND(v, what)						\
	{ "backend", "NAME", v, what, "kvm qemu-tcg qemu-kvm" }
#define OPT_END { NULL, NULL, 0, NULL, NULL }

#define EMIT_AS_VALUES "qemu libvirt proxmox nova kubevirt firecracker"

/* --output: every command but import (cli/output.h) */
static const struct cli_opt output_opts[] = {
	{ "output", "FILE", CLI_OPT_OUTPUT,
	  "write to FILE instead of standard output: a\n"
	  "temporary file beside it, renamed over it when\n"
	  "complete (never through a symbolic link)", NULL },
	OPT_END
};

/*
 * The options of the commands that run guests (verify, run, matrix), parsed
 * by run_opts_parse() (run_opts.h). Issue 14's --wide, --all and --color
 * go here.
 */
static const struct cli_opt run_opts[] = {
	{ "format", "FMT", 'f',
	  "table (default), json, junit, tap, markdown or html\n"
	  "(matrix: one self-contained page)",
	  "table json junit tap markdown html" },
	{ "strict", NULL, 's', "any leak fails the model, expected ones too", NULL },
	{ "ring", "0|3", 'r', "run every probe at this ring (privileged probes\n"
	  "always run at ring 0)", "0 3" },
	{ "guest-os", "MODE", 'g', "linux (default): enable what CPUID advertises;\n"
	  "raw: try every enable, record refusals", "linux raw" },
	{ "timeout", "MS", 't', "per-probe watchdog in milliseconds (default 2000)", NULL },
	{ "jobs", "N", 'j', "vCPUs to use, one VM and one thread each (default:\n"
	  "one per core; kvm only): verify and run spread the\n"
	  "probes over them, matrix the models; the results\n"
	  "are those of one vCPU", NULL },
	{ "wide", NULL, RUN_OPT_WIDE, "no width limit (default: the terminal's width,\n"
	  "$COLUMNS, or 100 columns when not a terminal)", NULL },
	{ "all", NULL, RUN_OPT_ALL, "every row (default: the rows that fail, the\n"
	  "others counted on one line; matrix: the grid)", NULL },
	{ "color", "WHEN", RUN_OPT_COLOR, "auto (default: on a terminal, unless NO_COLOR is\n"
	  "set or TERM=dumb), always or never; tables only", "auto always never" },
	OPT_KVM_DEVICE('d'),
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt verify_opts[] = {
	{ "mask", "MODEL", 'm', "a model name with QEMU-style changes, e.g.\n"
	  "x86-64-v3 or x86-64-v3,-avx2,+vmx; 'host' is\n"
	  "everything this KVM supports", NULL },
	OPT_BACKEND('b', "kvm (default: cpubench's own KVM userspace),\n"
		    "qemu-tcg or qemu-kvm (qemu-system-x86_64, or\n"
		    "$CPUBENCH_QEMU)"),
	{ "compare-backends", "A,B", 'c',
	  "run under each backend, show results side by side", NULL },
	OPT_END
};

static const struct cli_opt run_probe_opts[] = {
	{ "probe", "LIST", 'p', "comma-separated probe names ('cpubench probes')", NULL },
	OPT_END
};

static const struct cli_opt matrix_opts[] = {
	{ "masks", "all|LIST", 'm', "all (default): every known model, 'host' included;\n"
	  "LIST: comma-separated models, where a token that is\n"
	  "not a model name changes the one before it\n"
	  "(x86-64-v2,x86-64-v3,-avx2 is two models)", "all" },
	OPT_END
};

static const struct cli_opt probes_opts[] = {
	OPT_FORMAT_TJ('f', ""),
	OPT_END
};

static const struct cli_opt floor_opts[] = {
	OPT_FORMAT_TJ('f', ""),
	{ "runs", "N", 'n', "runs per figure, 1 to 1000 (default 5)", NULL },
	OPT_KVM_DEVICE('d'),
	OPT_END
};

static const struct cli_opt migrate_opts[] = {
	{ "from", "MODEL", 'f', "the model the guest boots under", NULL },
	{ "to", "MODEL", 't', "the model of the VM it moves to", NULL },
	OPT_BACKEND('b', "kvm (default: save and restore KVM state),\n"
		    "qemu-tcg or qemu-kvm (QEMU's own migration,\n"
		    "qemu-system-x86_64 or $CPUBENCH_QEMU)"),
	OPT_FORMAT_TJ('F', ""),
	OPT_KVM_DEVICE('d'),
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt masks_opts[] = {
	OPT_FORMAT_TJ('f', ""),
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt show_opts[] = {
	OPT_BACKEND('b', "for 'show host': kvm (default), qemu-tcg or\n"
		    "qemu-kvm, as for 'verify --mask host'"),
	OPT_KVM_DEVICE('d'),
	OPT_END
};

static const struct cli_opt import_opts[] = {
	OPT_END
};

static const struct cli_opt import_out_opts[] = {
	{ "out", "DIR", 'o', "where to write NAME.mask files (default: .)", NULL },
	OPT_END
};

static const struct cli_opt import_qemu_opts[] = {
	{ "qemu", "PATH", 'q', "the QEMU binary (default qemu-system-x86_64)", NULL },
	OPT_END
};

static const struct cli_opt import_source_opts[] = {
	{ "keep-existing", NULL, 'k', "leave a NAME.mask that is already there as it\n"
	  "is (e.g. add only what QEMU 7.2 lacks to masks/)", NULL },
	OPT_END
};

static const struct cli_opt host_opts[] = {
	{ "save", "FILE", 's', "also write the fingerprint (JSON) to FILE, for\n"
	  "cpubench baseline/compare/diff on another machine", NULL },
	OPT_FORMAT_TJ('f', " (the fingerprint)"),
	{ "cpuinfo", "FILE", 'c', "describe the CPU of FILE (a saved /proc/cpuinfo,\n"
	  "its flags line or lscpu output) instead of this\n"
	  "machine's: no CPUID, KVM or modules are read", NULL },
	OPT_MASKS_DIR('D'),
	OPT_KVM_DEVICE('d'),
	OPT_END
};

static const struct cli_opt baseline_opts[] = {
	OPT_FORMAT_TJ('f', ""),
	{ "emit", "AS", 'e', "instead, write the recommended model's\n"
	  "configuration in that stack's own format (qemu,\n"
	  "libvirt, proxmox, nova, kubevirt, firecracker);\n"
	  "--format does not apply", EMIT_AS_VALUES },
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt compare_opts[] = {
	{ "mask", "MODEL", 'm', "the model, with QEMU-style changes", NULL },
	{ "host", "HOST", 'H', "a host file ('cpubench host --save', a saved\n"
	  "/proc/cpuinfo, a flags line or lscpu output)", NULL },
	OPT_FORMAT_TJ('f', ""),
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt diff_opts[] = {
	OPT_FORMAT_TJ('f', ""),
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt emit_opts[] = {
	{ "mask", "MODEL", 'm', "the model, with QEMU-style changes; host keeps\n"
	  "its +feat/-feat (host passthrough with those)", NULL },
	{ "as", "STACK", 'a', "qemu, libvirt, proxmox, nova, kubevirt or\n"
	  "firecracker", EMIT_AS_VALUES },
	{ "cpu-map", "DIR", 'C', "libvirt's cpu_map directory whose models\n"
	  "libvirt, nova and kubevirt may name (default\n"
	  LIBVIRT_CPU_MAP ")", NULL },
	OPT_MASKS_DIR('D'),
	OPT_END
};

static const struct cli_opt completion_opts[] = {
	OPT_END
};

static const char exit_model[] =
	"0 the model holds; 1 a missing feature, a probe error or an unexpected\n"
	"leak (any leak with --strict); 2 bad usage or input; 3 this environment\n"
	"cannot run guests.";
static const char exit_listing[] =
	"0 printed; 2 bad usage or input, or the output cannot be written.";
static const char exit_import[] =
	"0 written; 2 bad usage, unreadable input or a file that cannot be\n"
	"written; 3 QEMU cannot be run.";

const struct cli_cmd cli_cmds[] = {
	{ "verify", "--mask MODEL [OPTIONS]",
	  "run every probe under MODEL and judge the model",
	  "Boots one fresh VM whose CPUID is MODEL's, runs every probe in it and\n"
	  "judges each feature: advertised and executed is ok, advertised and\n"
	  "faulting is missing, hidden and executing is a leak.",
	  { verify_opts, run_opts, output_opts }, exit_model,
	  "cpubench verify --mask x86-64-v3\n"
	  "cpubench verify --mask x86-64-v3 --format junit --output cpubench.xml",
	  cmd_verify },
	{ "run", "--mask MODEL --probe LIST [OPTIONS]",
	  "run the named probes only",
	  "As 'cpubench verify', with the probes of LIST only.",
	  { verify_opts, run_probe_opts, run_opts, output_opts }, exit_model,
	  "cpubench run --mask Haswell-v4,-avx2 --probe avx2,sha-ni",
	  cmd_run },
	{ "matrix", "[--masks all|LIST] [OPTIONS]",
	  "every model x every probe on this host",
	  "Runs every probe under every model, one VM per model, and prints the\n"
	  "model x probe grid.",
	  { matrix_opts, run_opts, output_opts },
	  "0 every model holds; 1 at least one does not; 2 bad usage or input;\n"
	  "3 this environment cannot run guests.",
	  "cpubench matrix --masks all --format html --output matrix.html\n"
	  "cpubench matrix --masks x86-64-v2,x86-64-v3,-avx2",
	  cmd_matrix },
	{ "probes", "[--format table|json]",
	  "the probe catalog and how each backend enforces it",
	  "Lists every probe: the feature it exercises, its ring, the instruction\n"
	  "under test, and per backend how KVM can enforce hiding the feature\n"
	  "(none, xcr0, cr4, efer, intercept) and whether a hidden feature is\n"
	  "expected to fault there; then the features no probe can test by\n"
	  "execution (hints that run on every CPU), with the reason.",
	  { probes_opts, output_opts }, exit_listing,
	  "cpubench probes --format json",
	  cmd_probes },
	{ "migrate", "--from MODEL --to MODEL [OPTIONS]",
	  "reproduce a crash after live migration from A to B",
	  "Boots a guest under --from; like glibc's ifuncs it picks one\n"
	  "implementation per family (memcpy, crc32c, popcount, random) from\n"
	  "CPUID and runs them; then moves its whole state to a fresh VM whose\n"
	  "CPU model is --to and runs them again, reporting every fault.",
	  { migrate_opts, output_opts },
	  "0 the guest ran on --to without a fault; 1 a crash was reproduced or\n"
	  "the restore was refused; 2 bad usage or input; 3 this environment\n"
	  "cannot run guests.",
	  "cpubench migrate --from Haswell-v4 --to x86-64-v2\n"
	  "cpubench migrate --from x86-64-v3 --to x86-64-v2 --backend qemu-tcg",
	  cmd_migrate },
	{ "floor", "[--format table|json] [--runs N] [--kvm-device PATH]",
	  "what a VM, an exit, an exception, a ring switch cost here",
	  "Measures what the mechanisms a probe run is made of cost on this KVM\n"
	  "backend: booting a VM, a KVM_RUN round trip, an exception at CPL0, a\n"
	  "CPL3 probe that faults (#UD, #PF: CPL3 -> 0 -> 3) and one that\n"
	  "completes inside a stint; each as the time and the guest exits it\n"
	  "adds to a plan of self-test probes, the median of N runs.",
	  { floor_opts, output_opts },
	  "0 every figure measured; 1 one could not be; 2 bad usage; 3 this\n"
	  "environment cannot run guests.",
	  "cpubench floor --runs 9",
	  cmd_floor },
	{ "masks", "[--format table|json] [--masks-dir DIR]",
	  "the model catalog, with each model's x86-64 level",
	  "Every model with its x86-64 level (from its features), vendor,\n"
	  "description and provenance.",
	  { masks_opts, output_opts }, exit_listing,
	  "cpubench masks --format json",
	  cmd_masks },
	{ "show", "MODEL [OPTIONS]",
	  "a model's resolved features and guest CPUID leaves",
	  "One model (QEMU-style changes allowed, e.g. Haswell-v4,-avx2): its\n"
	  "features, inherited or added, the ones it removes, its identity and\n"
	  "the CPUID leaves the guest is given. 'show host' opens the backend as\n"
	  "'verify --mask host' does and shows what \"host\" means there.",
	  { masks_opts, show_opts, output_opts }, exit_listing,
	  "cpubench show Haswell-v4,-avx2\n"
	  "cpubench show host --backend qemu-tcg",
	  cmd_show },
	{ "import", "qemu|qemu-source|libvirt ...",
	  "write mask files from QEMU or libvirt's cpu_map",
	  "Reads another stack's CPU models and writes them as mask files: see\n"
	  "'cpubench help import qemu', 'import qemu-source', 'import libvirt'.",
	  { import_opts }, exit_import,
	  "cpubench import qemu --out masks/",
	  cmd_import },
	{ "import qemu", "[--qemu PATH] [--out DIR]",
	  "mask files from an installed QEMU",
	  "Writes one mask file per CPU model, version and alias of an installed\n"
	  "QEMU, from its own QMP answers (it runs QEMU with -machine none).",
	  { import_qemu_opts, import_out_opts }, exit_import,
	  "cpubench import qemu --qemu /usr/bin/qemu-system-x86_64 --out masks/",
	  NULL },
	{ "import qemu-source", "DIR [--out DIR] [--keep-existing]",
	  "mask files from a QEMU source tree",
	  "Writes one mask file per CPU model, version and alias that a QEMU\n"
	  "source tree defines, read from DIR/target/i386/cpu.c and cpu.h as\n"
	  "data (no compiler, no QEMU build), the way 'import qemu' writes them.\n"
	  "Each file names its source (the tree's git commit, or its path).",
	  { import_out_opts, import_source_opts }, exit_import,
	  "cpubench import qemu-source ~/src/qemu --out masks/ --keep-existing",
	  NULL },
	{ "import libvirt", "[CPU_MAP_DIR] [--out DIR]",
	  "mask files from libvirt's cpu_map",
	  "Writes libvirt-MODEL.mask for every x86 model of a libvirt cpu_map\n"
	  "directory (default " LIBVIRT_CPU_MAP ").",
	  { import_out_opts }, exit_import,
	  "cpubench import libvirt --out /tmp/libvirt-masks",
	  NULL },
	{ "host", "[--save FILE] [OPTIONS]",
	  "fingerprint of this host, its x86-64 level, the models it runs",
	  "Fingerprints this host: raw CPUID, KVM's supported CPUID,\n"
	  "/proc/cpuinfo, kernel, KVM modules and parameters; its x86-64 level\n"
	  "(as ld.so --help reports it). Then two answers: the catalog models\n"
	  "'cpubench verify' holds here (the backend's refusals applied), and\n"
	  "those QEMU and libvirt accept with -accel kvm,enforce (KVM's supported\n"
	  "CPUID). Both need a usable /dev/kvm; without one, host says it cannot\n"
	  "tell.",
	  { host_opts, output_opts }, exit_listing,
	  "cpubench host --save $(hostname).json",
	  cmd_host },
	{ "baseline", "[OPTIONS] HOST...",
	  "best common model of a cluster, who blocks more",
	  "HOST: a 'cpubench host --save' file, a saved /proc/cpuinfo (whole or\n"
	  "its flags line) or lscpu output; the format is detected. Prints the\n"
	  "features all hosts share, the best x86-64 level, the best named models\n"
	  "(per vendor when all hosts share one, vendor-neutral otherwise) and,\n"
	  "for each higher level, the hosts that block it and why.",
	  { baseline_opts, output_opts }, exit_listing,
	  "cpubench baseline hosts/*.json\n"
	  "cpubench baseline --emit libvirt hosts/*.json",
	  cmd_baseline },
	{ "compare", "--mask MODEL --host HOST [OPTIONS]",
	  "can MODEL run on HOST (exit 0) or not (exit 1)",
	  "Whether every feature MODEL advertises is available to a guest on\n"
	  "HOST. Features Linux never shows in its flags are listed as unknown,\n"
	  "not missing. When MODEL cannot run, names the nearest model that can.",
	  { compare_opts, output_opts },
	  "0 MODEL runs there; 1 features are missing; 2 bad usage or input.",
	  "cpubench compare --mask x86-64-v3 --host node7.json",
	  cmd_compare },
	{ "diff", "[OPTIONS] A B",
	  "two hosts or models side by side",
	  "A, B: a host file ('cpubench host --save', /proc/cpuinfo, a flags\n"
	  "line, lscpu output) or a model (x86-64-v3, Haswell-v4,-avx2). Prints\n"
	  "counts, features only in A and only in B, and flags vmx/svm, invtsc\n"
	  "and passthrough-only features.",
	  { diff_opts, output_opts },
	  "0 identical; 1 different; 2 bad usage or input.",
	  "cpubench diff x86-64-v3 Haswell-v4",
	  cmd_diff },
	{ "emit", "--mask MODEL --as STACK [OPTIONS]",
	  "the configuration for a VM stack",
	  "Writes the configuration that gives guests exactly MODEL's features,\n"
	  "in the stack's own names: its model closest to MODEL plus the changes.\n"
	  "  qemu         -cpu string with enforce\n"
	  "  libvirt      <cpu mode='custom' match='exact' check='full'>: a\n"
	  "               cpu_map model and feature policies\n"
	  "  proxmox      the VM's cpu: line (a built-in model, flags= where a VM\n"
	  "               may set them), else a cpu-models.conf custom model\n"
	  "  nova         nova.conf [libvirt] cpu_mode/cpu_models/\n"
	  "               cpu_model_extra_flags\n"
	  "  kubevirt     VirtualMachine spec.template.spec.domain.cpu (no model\n"
	  "               KubeVirt lists as obsolete)\n"
	  "  firecracker  custom CPU template (JSON)\n"
	  "Migration warnings (nested virtualization, passthrough, unmigratable\n"
	  "features) go to stderr, and, for qemu, a warning when the model needs\n"
	  "a QEMU later than " EMIT_QEMU_CHECKED " (the first release that defines it).",
	  { emit_opts, output_opts }, exit_listing,
	  "cpubench emit --mask x86-64-v2-AES --as proxmox",
	  cmd_emit },
	{ "help", "[COMMAND]",
	  "this help, or a command's",
	  NULL, { NULL }, "0 printed; 2 no such command.",
	  "cpubench help verify\n"
	  "cpubench help import qemu",
	  cmd_help },
	{ "completion", "bash|zsh|list",
	  "shell completion script, generated from the option tables",
	  "bash, zsh: a completion script ('make install' installs both);\n"
	  "list: each command with its options, one command a line.",
	  { completion_opts, output_opts }, exit_listing,
	  "source <(cpubench completion bash)",
	  cmd_completion },
};

const unsigned int cli_ncmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

const struct cli_cmd *cli_cmd_find(const char *name)
{
	for (unsigned int i = 0; i < cli_ncmds; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

const char *cli_cmd_suggest(const char *name)
{
	const char *names[sizeof(cli_cmds) / sizeof(cli_cmds[0])];
	size_t n = 0;

	for (unsigned int i = 0; i < cli_ncmds; i++)
		if (cli_cmds[i].run)
			names[n++] = cli_cmds[i].name;
	return name_suggest(name, names, n);
}
