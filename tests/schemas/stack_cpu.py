#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Reads cpubench emit output as each stack does, for tests/cli_host.sh.

  stack_cpu.py read STACK FILE...
      reads each FILE as STACK (libvirt, nova, kubevirt, proxmox) does:
      Proxmox's grammar (proxmox-cpu.json, from qemu-server's
      CPUConfig.pm), KubeVirt's schema (kubevirt-vm-cpu.schema.json);
      prints, one line per FILE, the -cpu argument the stack hands QEMU:
      MODEL,+FEAT,-FEAT,...; exit 1 naming the first violation
  stack_cpu.py expand CPUBENCH QEMU PAIRS
      PAIRS has lines 'SPEC<TAB>-CPU ARGUMENT'; QEMU (TCG, -S, QMP
      query-cpu-model-expansion) expands each argument; exit 1 unless
      the features it enables are exactly SPEC's (cpubench show), over
      the features cpubench knows of the base model and the changes,
      leaving out the bits QEMU's accelerator decides (bench/emit/emit.c
      accel_bits)
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
# plus QEMU's FEAT_SVM (leaf 0x8000000A), which follows svm
ACCEL_BITS = {"hypervisor", "x2apic", "acpi", "monitor", "svm", "vme",
              "npt", "nrip-save", "vgif", "svme-addr-chk"}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def proxmox_data():
    with open(os.path.join(HERE, "proxmox-cpu.json")) as f:
        return json.load(f)


def proxmox_parse(text):
    """(cpu line value, {custom id: {key: value}}), or fail()."""
    pve = proxmox_data()
    sections, cur, vm = {}, None, None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            cur = None if not line.strip() else cur
            continue
        m = re.match(r"^cpu-model: (\S+)$", line)
        if m:
            if not re.match(pve["configid"], m.group(1)):
                fail(f"line {n}: '{m.group(1)}' is not a pve-configid")
            cur = sections.setdefault(m.group(1), {})
            continue
        m = re.match(r"^\t(\S+) (\S+)$", line)
        if m and cur is not None:
            key, value = m.groups()
            if key not in ("flags", "reported-model", "hidden", "hv-vendor-id", "phys-bits"):
                fail(f"line {n}: '{key}' is not a cpu-models.conf property")
            if key == "flags" and not all(re.match(pve["flag"], f) for f in value.split(";")):
                fail(f"line {n}: flags '{value}' is not +FLAG;-FLAG")
            if key == "reported-model" and value not in pve["models"]:
                fail(f"line {n}: reported-model '{value}' is not one of $cpu_vendor_list")
            cur[key] = value
            continue
        m = re.match(r"^cpu: (.+)$", line)
        if m and vm is None:
            vm = m.group(1)
            continue
        fail(f"line {n}: not Proxmox syntax: {line!r}")
    if vm is None:
        fail("no 'cpu:' line")
    props = dict(p.split("=", 1) if "=" in p else ("cputype", p) for p in vm.split(","))
    cputype = props.get("cputype", "")
    if cputype.startswith("custom-"):
        if cputype[7:] not in sections:
            fail(f"'{cputype}' names no cpu-model section of the output")
    elif cputype not in pve["models"] and cputype not in pve["builtin_models"]:
        fail(f"cputype '{cputype}' is neither built in nor custom-")
    flags = props.get("flags")
    if flags and not all(re.match(r"^[+-](%s)$" % "|".join(map(re.escape, pve["vm_flags"])), f)
                         for f in flags.split(";")):
        fail(f"VM flags '{flags}' are not all of @supported_cpu_flags")
    if set(props) - {"cputype", "flags", "hidden", "hv-vendor-id", "phys-bits"}:
        fail(f"cpu: '{vm}' has a property a VM may not set")
    return props, sections


def forced(pve, model):
    for pat, flags in pve["forced_flags"].items():
        if model == pat or (pat.endswith("*") and model.startswith(pat[:-1])):
            return flags.split(";")
    return []


def proxmox_cpu(text):
    """What CPUConfig.pm get_cpu_options makes of it (under KVM)."""
    pve = proxmox_data()
    props, sections = proxmox_parse(text)
    cputype, flags, vendor = props["cputype"], [], None
    if cputype in pve["builtin_models"]:
        model = "qemu64"
        flags += pve["builtin_models"][cputype].split(";")
    elif cputype.startswith("custom-"):
        sec = sections[cputype[7:]]
        model = sec.get("reported-model", "kvm64")
        flags += sec.get("flags", "").split(";") if sec.get("flags") else []
    else:
        model = cputype
    flags = forced(pve, model) + flags + (props["flags"].split(";") if props.get("flags") else [])
    if pve["models"].get(model, "default") != "default":
        vendor = pve["models"][model]
    return model, flags, vendor


def libvirt_cpu(text):
    cpu = ET.fromstring(text)
    if cpu.get("mode") == "host-passthrough":
        model = "host"
    else:
        model = cpu.find("model").text
    flags = [("+" if f.get("policy") == "require" else "-") + f.get("name")
             for f in cpu.findall("feature")]
    return model, flags, None


def nova_cpu(text):
    conf = dict(re.findall(r"^(\w+) = (.*)$", text, re.M))
    model = "host" if conf["cpu_mode"] == "host-passthrough" else conf["cpu_models"]
    flags = [f.strip() for f in conf.get("cpu_model_extra_flags", "").split(",") if f.strip()]
    return model, [f if f[0] in "+-" else "+" + f for f in flags], None


def kubevirt_doc(text):
    import yaml
    return yaml.safe_load(text)


def kubevirt_cpu(text):
    cpu = kubevirt_doc(text)["spec"]["template"]["spec"]["domain"]["cpu"]
    model = "host" if cpu["model"] == "host-passthrough" else cpu["model"]
    flags = [("-" if f.get("policy") in ("disable", "forbid") else "+") + f["name"]
             for f in cpu.get("features", [])]
    return model, flags, None


def kubevirt_check(text):
    import jsonschema
    with open(os.path.join(HERE, "kubevirt-vm-cpu.schema.json")) as f:
        schema = json.load(f)
    try:
        jsonschema.validate(kubevirt_doc(text), schema)
    except jsonschema.ValidationError as e:
        fail(f"not a KubeVirt VirtualMachine: {e.message}")


def qemu_cpu(stack, path):
    with open(path) as f:
        text = f.read()
    if stack == "libvirt":
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    if stack == "kubevirt":
        kubevirt_check(text)
    model, flags, vendor = {"libvirt": libvirt_cpu, "nova": nova_cpu,
                            "kubevirt": kubevirt_cpu, "proxmox": proxmox_cpu}[stack](text)
    return ",".join([model] + flags + ([f"vendor={vendor}"] if vendor else []))


def qmp(qemu, commands):
    """The answers of a TCG QEMU stopped before the guest runs."""
    lines = [json.dumps({"execute": "qmp_capabilities"})]
    lines += [json.dumps(c) for c in commands] + [json.dumps({"execute": "quit"})]
    out = subprocess.run([qemu, "-accel", "tcg", "-machine", "none", "-nodefaults",
                          "-display", "none", "-S", "-qmp", "stdio"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True)
    answers = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    answers = [a for a in answers if "return" in a or "error" in a][1:]
    return answers[:len(commands)]


def expand(cpubench, qemu, pairs_file):
    with open(pairs_file) as f:
        pairs = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    shown = {}

    def features(spec):     # cpubench's features of a model, {} if it has none
        if spec not in shown:
            p = subprocess.run([cpubench, "show", spec, "--format", "json"],
                               capture_output=True, text=True)
            shown[spec] = set(json.loads(p.stdout)["features"]) if p.returncode == 0 else set()
        return shown[spec]
    commands = []
    for _, arg in pairs:
        model, *opts = arg.split(",")
        props = {}
        for o in opts:
            if o[0] in "+-":
                props[o[1:]] = o[0] == "+"
        commands.append({"execute": "query-cpu-model-expansion",
                         "arguments": {"type": "full", "model": {"name": model, "props": props}}})
    bad = 0
    for (spec, arg), a in zip(pairs, qmp(qemu, commands)):
        if "error" in a:
            print(f"{spec}: QEMU refused {arg}: {a['error'].get('desc')}")
            bad += 1
            continue
        got = {k for k, v in a["return"]["model"]["props"].items() if v is True}
        want = features(spec)
        # what cpubench knows of the base model: the catalog is QEMU's expansion
        known = features(arg.split(",")[0]) | {o[1:] for o in arg.split(",")[1:] if o[0] in "+-"}
        extra = sorted((got & known) - want - ACCEL_BITS)
        missing = sorted(want - got - ACCEL_BITS)
        if extra or missing:
            print(f"{spec}: {arg} gives the guest +{extra} and lacks {missing}")
            bad += 1
    return bad


def main(argv):
    if len(argv) >= 4 and argv[1] == "read":
        for path in argv[3:]:
            try:
                print(qemu_cpu(argv[2], path))
            except SystemExit:
                print(f"{path}: unreadable as {argv[2]}", file=sys.stderr)
                raise
            except Exception as e:  # malformed beyond the checks: say so
                fail(f"{path}: unreadable as {argv[2]}: {e!r}")
    elif len(argv) == 5 and argv[1] == "expand":
        return 1 if expand(argv[2], argv[3], argv[4]) else 0
    else:
        fail(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
