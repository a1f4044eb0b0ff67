# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by tests/cli.sh (issue 14, item 6): help for every command,
# suggestions, options that do not apply, the man page and the shell
# completions checked against the command table ('cpubench completion
# list'), make install/uninstall. Needs no KVM.

HBUILD=$(dirname "$CPUBENCH")
"$CPUBENCH" completion list >"$TMP/cmds" 2>"$TMP/err" && [ -s "$TMP/cmds" ] &&
	ok "completion list" || not_ok "completion list failed"

# ---- help: every command, three spellings ------------------------------------
for spelling in "verify:verify -h" "verify:help verify" "migrate:migrate --help"; do
	want=${spelling%%:*}
	# shellcheck disable=SC2086
	expect_exit 0 "${spelling#*:}" "$CPUBENCH" ${spelling#*:}
	grep -q "^usage: cpubench $want " "$TMP/out" && ok "${spelling#*:}: $want's usage" ||
		not_ok "${spelling#*:}: $(head -1 "$TMP/out")"
done
while read -r cmd opts; do
	# "import qemu --out ...": the name is the words before the first option
	name=$cmd
	case $opts in [!-]*) name="$cmd ${opts%% *}"; opts=${opts#* } ;; esac
	# shellcheck disable=SC2086
	"$CPUBENCH" $name --help >"$TMP/out" 2>"$TMP/err"
	st=$?
	# shellcheck disable=SC2086
	"$CPUBENCH" help $name >"$TMP/out2" 2>&1
	missing=""
	for o in $opts; do grep -q -- "$o" "$TMP/out" || missing="$missing $o"; done
	if [ "$st" -eq 0 ] && cmp -s "$TMP/out" "$TMP/out2" &&
	   grep -q "^usage: cpubench $name" "$TMP/out" && grep -q "^exit status:" "$TMP/out" &&
	   grep -q "^example:" "$TMP/out" && [ -z "$missing" ]; then
		ok "$name --help = help $name: usage, every option, exit status, example"
	else
		not_ok "$name --help (exit $st), lacks:$missing"
	fi
done <"$TMP/cmds"

# ---- suggestions and options that do not apply ---------------------------------
expect_exit 2 "help no-such" "$CPUBENCH" help no-such
one_line_error "help no-such: one line" "help: unknown command 'no-such'"
expect_exit 2 "misspelt command" "$CPUBENCH" verfy
one_line_error "misspelt command: suggestion" "unknown command 'verfy': did you mean 'verify'\?"
expect_exit 2 "help for a misspelt command" "$CPUBENCH" help emti
one_line_error "help emti: suggestion" "did you mean 'emit'\?"
expect_exit 2 "misspelt option" "$CPUBENCH" verify --mak x86-64-v3
one_line_error "misspelt option: suggestion" "unknown option '--mak': did you mean '--mask'\?"
expect_exit 2 "misspelt import source" "$CPUBENCH" import libvrit
one_line_error "import libvrit: suggestion" "did you mean 'libvirt'\?"
for bad in "probes --strict" "masks --ring 0" "masks --backend kvm" "verify --probe avx2 --mask x86-64-v3" \
	   "diff --kvm-device /dev/null A B" "emit --jobs 2 --mask x86-64-v3 --as qemu"; do
	set -- $bad
	# shellcheck disable=SC2086
	expect_exit 2 "$bad: refused" "$CPUBENCH" $bad
	one_line_error "$bad: names the command" "$2 does not apply to $1; .* take"
done
expect_exit 2 "option without its argument" "$CPUBENCH" verify --mask
one_line_error "--mask without MODEL: one line" "--mask needs an argument"
expect_exit 2 "argument to a flag" "$CPUBENCH" verify --strict=yes --mask x86-64-v3
one_line_error "--strict=yes: one line" "--strict takes no argument"
expect_exit 2 "short option" "$CPUBENCH" verify -x
one_line_error "-x: one line" "unknown option '-x'"

# ---- --version: the catalog's QEMU release, from the masks' provenance ---------
expect_exit 0 "--version" "$CPUBENCH" --version
want=$(sed -n 's/^provenance: QEMU \([0-9][^ ,]*\).*/\1/p' masks/*.mask | sort | uniq -c |
	sort -rn | awk 'NR == 1 { print $1 " models from QEMU " $2 }')
grep -q "(catalog: .*${want//./\\.}" "$TMP/out" && ok "--version: $want" ||
	not_ok "--version lacks '$want': $(cat "$TMP/out")"

# ---- the man page: every command, option and CPUBENCH_* variable ---------------
# man_check PAGE: prints what PAGE lacks; fails when it lacks anything.
man_check() {
	local text lacks="" name o v
	text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"//g' "$1")
	while read -r cmd opts; do
		name=$cmd
		case $opts in [!-]*) name="$cmd ${opts%% *}"; opts=${opts#* } ;; esac
		# a command is documented under a .TP tag that begins with its name
		printf '%s\n' "$text" | grep -A1 '^\.TP' |
			grep -Eq "^\.B[IR]? $name( |\$)" || lacks="$lacks $name"
		for o in $opts; do
			printf '%s\n' "$text" | grep -Eq -- "$o([^a-z-]|\$)" || lacks="$lacks $o"
		done
	done <"$TMP/cmds"
	for v in $(grep -rhoE 'getenv\("CPUBENCH_[A-Z_]+"\)' bench/ | sed 's/.*"\(.*\)".*/\1/' | sort -u); do
		printf '%s\n' "$text" | sed -n '/^\.SH ENVIRONMENT/,/^\.SH [^E]/p' |
			grep -q "^\.B $v\$" || lacks="$lacks $v"
	done
	[ -z "$lacks" ] || { echo "$lacks" | tr ' ' '\n' | sort -u | tr '\n' ' '; return 1; }
}
lacks=$(man_check cpubench.1) && ok "cpubench.1 documents every command, option and CPUBENCH_* variable" ||
	not_ok "cpubench.1 lacks: $lacks"
# the check fails when the page lacks one (it can fail)
for cut in '/^\.B import qemu$/d' 's/keep\\-existing/keep/' '/^\.B CPUBENCH_QEMU$/d'; do
	sed "$cut" cpubench.1 >"$TMP/cut.1"
	man_check "$TMP/cut.1" >/dev/null && not_ok "man_check misses $cut" || ok "man_check catches $cut"
done

# ---- completions, generated from the same table --------------------------------
BASH_COMP="$HBUILD/completion/cpubench.bash"
ZSH_COMP="$HBUILD/completion/_cpubench"
# complete WORDS...: what the bash completion offers for the last word
complete_bash() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cpubench
		 printf "%s\n" "${COMPREPLY[@]}"' sh "$BASH_COMP" "$@" | grep -v '^$' | sort | tr '\n' ' '
}
if [ -f "$BASH_COMP" ]; then
	[ "$(complete_bash cpubench ver)" = "verify " ] && ok "bash: ver -> verify" ||
		not_ok "bash: ver -> '$(complete_bash cpubench ver)'"
	[ "$(complete_bash cpubench verify --ma)" = "--mask --masks-dir " ] &&
		ok "bash: verify --ma" || not_ok "bash: verify --ma -> '$(complete_bash cpubench verify --ma)'"
	[ "$(complete_bash cpubench probes --st)" = "" ] && ok "bash: probes has no --strict" ||
		not_ok "bash: probes --st -> '$(complete_bash cpubench probes --st)'"
	[ "$(complete_bash cpubench matrix --format '')" = "html json junit markdown table tap " ] &&
		ok "bash: matrix --format values" || not_ok "bash: matrix --format -> '$(complete_bash cpubench matrix --format '')'"
	[ "$(complete_bash cpubench import qemu-source --k)" = "--keep-existing " ] &&
		ok "bash: import qemu-source --k" || not_ok "bash: import qemu-source --k -> '$(complete_bash cpubench import qemu-source --k)'"
	all=$(cut -d' ' -f2- "$TMP/cmds" | tr ' ' '\n' | grep '^--' | sort -u | tr '\n' ' ')
	# shellcheck disable=SC2086
	got=$(while read -r cmd opts; do
		case $opts in [!-]*) cmd="$cmd ${opts%% *}" ;; esac
		complete_bash cpubench $cmd --
	done <"$TMP/cmds" |
		tr ' ' '\n' | grep '^--' | sort -u | tr '\n' ' ')
	[ "$got" = "$all" ] && ok "bash: every option of the table" || not_ok "bash: options '$got', table '$all'"
else
	not_ok "no $BASH_COMP (make builds it)"
fi
if [ -f "$ZSH_COMP" ] && command -v zsh >/dev/null; then
	zsh -n "$ZSH_COMP" && ok "zsh completion parses" || not_ok "zsh -n $ZSH_COMP"
	lacks=""
	while read -r cmd opts; do
		grep -q "^	'$cmd')" "$ZSH_COMP" || lacks="$lacks $cmd"
	done <"$TMP/cmds"
	[ -z "$lacks" ] && ok "zsh: a case per command" || not_ok "zsh lacks:$lacks"
else
	not_ok "no $ZSH_COMP or no zsh (tools/bootstrap.sh test installs it)"
fi

# ---- make install, then make uninstall, leaves the prefix empty ---------------
D="$TMP/prefix"
mkdir -p "$D"
if env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory install uninstall \
	BUILD="$HBUILD" PREFIX="$D" >"$TMP/out" 2>&1; then
	left=$(find "$D" -mindepth 1 | head -5)
	[ -z "$left" ] && ok "make install + uninstall leave PREFIX empty" ||
		not_ok "make uninstall left: $left"
else
	not_ok "make install/uninstall failed: $(tail -2 "$TMP/out")"
fi
env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory install BUILD="$HBUILD" \
	PREFIX="$D" >"$TMP/out" 2>&1
n=$(find "$D" -type f | wc -l)
[ "$n" -eq 4 ] && [ -x "$D/bin/cpubench" ] && [ -f "$D/share/zsh/site-functions/_cpubench" ] &&
	[ -f "$D/share/bash-completion/completions/cpubench" ] && [ -f "$D/share/man/man1/cpubench.1" ] &&
	ok "make install: program, man page, two completions" || not_ok "make install wrote $n files"
rm -rf "$D"
