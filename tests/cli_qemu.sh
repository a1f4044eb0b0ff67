# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh: the QEMU backends, --compare-backends and
# migrate (issue 6). Tests that boot QEMU skip, with the reason, only where
# qemu-system-x86_64 is not installed; the QEMU tests take a few seconds.

expect_exit 2 "verify: unknown backend" "$CPUBENCH" verify --mask x86-64-v3 --backend frob
one_line_error "unknown backend: one line" "unknown backend 'frob'"
expect_exit 2 "verify: --backend with --compare-backends" "$CPUBENCH" verify --mask x86-64-v3 --backend kvm --compare-backends kvm,qemu-tcg
one_line_error "--backend with --compare-backends: one line" "pick one of"
expect_exit 2 "migrate without --to" "$CPUBENCH" migrate --from Haswell-v4
one_line_error "migrate without --to: one line" "needs --from MODEL and --to MODEL"
expect_exit 2 "migrate: unknown model" "$CPUBENCH" migrate --from Haswell-v4 --to Nosuch-v9 --backend qemu-tcg
one_line_error "migrate: unknown model: one line" "Nosuch-v9"
expect_exit 0 "migrate --help" "$CPUBENCH" migrate --help
CPUBENCH_QEMU=/nonexistent/qemu expect_exit 3 "qemu-tcg without QEMU" \
	"$CPUBENCH" run --backend qemu-tcg --mask Haswell-v4 --probe sse2
one_line_error "qemu-tcg without QEMU: one line" "install qemu-system-x86"
if ! command -v qemu-system-x86_64 >/dev/null; then
	skipped "QEMU backend tests: qemu-system-x86_64 is not installed"
else
	# a model without long mode cannot host cpubench's 64-bit guest: said
	# before any guest starts, on every backend (model_run_supported())
	expect_exit 2 "verify a 32-bit model (qemu32)" "$CPUBENCH" verify --mask qemu32 --backend qemu-tcg
	one_line_error "verify a 32-bit model: one line naming it and long mode" "qemu32 has no long mode \\(lm\\)"
	expect_exit 2 "verify 486 under the JSON format" "$CPUBENCH" verify --mask 486 --backend qemu-tcg --format json
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert 'no long mode' in d['error'], d" "$TMP/out" &&
		ok "verify 486 --format json: the error document says why" || not_ok "verify 486 --format json: $(cat "$TMP/out")"
	expect_exit 0 "verify --backend qemu-tcg --mask Haswell-v4" \
		"$CPUBENCH" verify --backend qemu-tcg --mask Haswell-v4 --format json
	[ "$(json_get "j['backend']")" = qemu-tcg ] && ok "report names backend qemu-tcg" || not_ok "backend: $(json_get "j['backend']")"
	[ "$(result_field avx2 verdict)" = ok ] && ok "Haswell-v4 on TCG: avx2 ok" || not_ok "avx2: $(result_field avx2 verdict)"
	# QEMU 7.2's TCG cannot provide pcid: listed with QEMU's words, its probe untestable
	json_get "[u['reason'] for u in j['unprovided'] if u['feature'] == 'pcid'][0]" | grep -q "TCG doesn't support requested feature" \
		&& ok "unprovided pcid quoted from QEMU" || not_ok "unprovided: $(json_get "j['unprovided']")"
	[ "$(result_field pcid verdict)" = untestable ] && ok "pcid probe untestable on TCG" || not_ok "pcid: $(result_field pcid verdict)"

	expect_exit 0 "run qemu-tcg Haswell-v4,-avx2" \
		"$CPUBENCH" run --backend qemu-tcg --mask Haswell-v4,-avx2 --probe avx2,avx --format json
	[ "$(result_field avx2 verdict)" = hidden ] && ok "TCG hides avx2" || not_ok "avx2 hidden: $(result_field avx2 verdict)"
	[ "$(result_field avx verdict)" = ok ] && ok "avx still ok without avx2" || not_ok "avx: $(result_field avx verdict)"

	expect_exit 1 "migrate Haswell-v4 -> Westmere-v1 on qemu-tcg crashes" \
		"$CPUBENCH" migrate --from Haswell-v4 --to Westmere-v1 --backend qemu-tcg --format json
	json_get "[f for f in j['post_migration_faults'] if f['exception'] == '#UD' and f['instruction'].startswith('v')][0]['feature']" \
		| grep -q avx2 && ok "post-migration #UD on a VEX instruction of avx2" || not_ok "faults: $(json_get "j['post_migration_faults']")"
	[ "$(json_get "j['post_migration_faults'][0]['advertised_by_from'] and not j['post_migration_faults'][0]['advertised_by_to']")" = True ] \
		&& ok "advertised at boot by A, absent from B" || not_ok "advertised flags"
	expect_exit 0 "migrate Westmere-v1 -> Haswell-v4 on qemu-tcg: no fault" \
		"$CPUBENCH" migrate --from Westmere-v1 --to Haswell-v4 --backend qemu-tcg --format json
	[ "$(json_get "len(j['post_migration_faults'])")" = 0 ] && ok "no post-migration fault" || not_ok "faults: $(json_get "j['post_migration_faults']")"

	expect_exit 0 "compare-backends qemu-tcg,qemu-tcg" \
		"$CPUBENCH" verify --mask Haswell-v4 --compare-backends qemu-tcg,qemu-tcg --format json
	[ "$(json_get "len(j['backends'])")" = 2 ] && [ "$(json_get "len(j['differences'])")" = 0 ] \
		&& ok "compare: two reports, no differences" || not_ok "compare json"
	if [ -e /dev/kvm ]; then
		"$CPUBENCH" verify --mask x86-64-v3,+xsaveopt --compare-backends kvm,qemu-tcg >"$TMP/out" 2>"$TMP/err"
		grep -q "difference" "$TMP/out" && grep -q "qemu-tcg" "$TMP/out" \
			&& ok "compare kvm,qemu-tcg: side by side" || { not_ok "compare kvm,qemu-tcg"; head -3 "$TMP/err"; }
	else
		skipped "compare kvm,qemu-tcg: /dev/kvm does not exist"
	fi
fi
