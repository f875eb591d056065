#!/usr/bin/env bash
# Runs the curated mutants of scripts/mutants.txt: each one a literal
# substitution of one text in one file, applied to a temporary copy of the
# tree (the working tree is never touched), the mutant's tests run there
# (with WGML_REQUIRE_GPU=1 for gpu mutants), the file restored. A mutant is
# killed when its tests fail; the script fails listing every mutant that
# survives, and every one that no longer applies (its text is not found
# exactly once) or does not build.
#
# Usage: scripts/mutants.sh [-l | -c] [REGEX]
#   REGEX  run only the mutants whose name matches (grep -E)
#   -l     list the mutants and exit
#   -c     check that every mutant applies (its text is found exactly once)
#          in the working tree, and exit
# Before the mutants, each distinct test command runs once on the unmutated
# copy and must pass, so that a killed mutant means the mutation did it.
# MUTANT_TIMEOUT (default 600) caps one test command, in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GO=${GO:-go}
list=scripts/mutants.txt
timeout_s=${MUTANT_TIMEOUT:-600}

only=""
listing=0
checking=0
while [ $# -gt 0 ]; do
	case $1 in
	-l) listing=1 ;;
	-c) checking=1 ;;
	-h | --help)
		sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) only=$1 ;;
	esac
	shift
done

# Parse the list: records of "key: value" lines separated by blank lines;
# lines starting with # are comments. In old and new, \n stands for a
# newline and \t for a tab.
all=() names=() files=() olds=() news=() tests=() gpus=()
flush() {
	if [ -n "${name:-}" ]; then
		if [ -z "${file:-}" ] || [ -z "${old+x}" ] || [ -z "${new+x}" ] || [ -z "${test:-}" ] || [ -z "${why:-}" ]; then
			echo "mutants: $list: mutant $name lacks one of file, old, new, test, why" >&2
			exit 2
		fi
		if [[ " ${all[*]} " == *" $name "* ]]; then
			echo "mutants: $list: two mutants are named $name" >&2
			exit 2
		fi
		all+=("$name")
		if [ -n "$only" ] && ! grep -qE -- "$only" <<<"$name"; then
			:
		else
			names+=("$name") files+=("$file") olds+=("$old") news+=("$new") tests+=("$test") gpus+=("${gpu:-no}")
		fi
	fi
	unset name file old new test gpu why
}
unescape() {
	local s=${1//\\n/$'\n'}
	printf '%s' "${s//\\t/$'\t'}"
}
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'*) continue ;;
	'') flush ;;
	name:*) name=${line#name: } ;;
	file:*) file=${line#file: } ;;
	old:*) old=$(unescape "${line#old: }") ;;
	new:*) new=$(unescape "${line#new: }") ;;
	test:*) test=${line#test: } ;;
	gpu:*) gpu=${line#gpu: } ;;
	why:*) why=${line#why: } ;;
	*)
		echo "mutants: $list: cannot read line: $line" >&2
		exit 2
		;;
	esac
done <"$list"
flush
if [ ${#names[@]} -eq 0 ]; then
	echo "mutants: no mutant matches ${only:-anything}" >&2
	exit 2
fi
if [ $listing = 1 ]; then
	for i in "${!names[@]}"; do printf '%-40s %s  (%s)\n' "${names[$i]}" "${files[$i]}" "${tests[$i]}"; done
	exit 0
fi

# applies FILE OLD: OLD is found exactly once in FILE.
applies() {
	local text rest
	[ -f "$1" ] || return 1
	text=$(cat "$1"; printf x)
	rest=${text#*"$2"}
	[ "$rest" != "$text" ] && [[ "$rest" != *"$2"* ]]
}
if [ $checking = 1 ]; then
	bad=0
	for i in "${!names[@]}"; do
		if ! applies "${files[$i]}" "${olds[$i]}"; then
			echo "mutants: ${names[$i]}: the old text is not found exactly once in ${files[$i]}" >&2
			bad=1
		fi
	done
	[ $bad = 0 ] && echo "mutants: all ${#names[@]} apply"
	exit $bad
fi

start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wgml-mutants.XXXXXX")
out=$tmp.out
trap 'rm -rf "$tmp" "$out"' EXIT
# The copy: the files git tracks or would track (tracked, and untracked
# ones that are not ignored), as they are in the working tree now.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | tar -C "$root" --null -T - -cf - | tar -C "$tmp" -xf -
cd "$tmp"
echo "mutants: ${#names[@]} mutants, tree copied to $tmp"

# runtests GPU ARGS...: go test in the copy; output in $out.
runtests() {
	local gpu=$1
	shift
	local env=()
	[ "$gpu" = yes ] && env=(WGML_REQUIRE_GPU=1)
	env "${env[@]}" timeout "$timeout_s" "$GO" test -count=1 "$@" >"$out" 2>&1
}

# Baseline: every distinct test command passes on the unmutated tree.
declare -A seen
for i in "${!names[@]}"; do
	key="${gpus[$i]} ${tests[$i]}"
	[ -n "${seen[$key]:-}" ] && continue
	seen[$key]=1
	t0=$(date +%s)
	eval "set -- ${tests[$i]}"
	if ! runtests "${gpus[$i]}" "$@"; then
		tail -30 "$out" >&2
		echo "mutants: baseline: go test ${tests[$i]} fails on the unmutated tree; fix that first" >&2
		exit 1
	fi
	if grep -q 'no tests to run' "$out"; then
		echo "mutants: baseline: go test ${tests[$i]} runs no test in some package; fix its -run pattern" >&2
		exit 1
	fi
	echo "baseline  ok    $(($(date +%s) - t0))s  go test ${tests[$i]}"
done

survived=() broken=()
for i in "${!names[@]}"; do
	n=${names[$i]} f=${files[$i]} o=${olds[$i]} w=${news[$i]}
	if ! applies "$f" "$o"; then
		echo "mutant    ERROR    $n: the old text is not found exactly once in $f"
		broken+=("$n (old text not found exactly once in $f)")
		continue
	fi
	orig=$(cat "$f"; printf x)
	orig=${orig%x}
	printf '%s' "${orig/"$o"/"$w"}" >"$f"
	t0=$(date +%s)
	eval "set -- ${tests[$i]}"
	rc=0
	runtests "${gpus[$i]}" "$@" || rc=$?
	if [ $rc = 0 ]; then
		result=SURVIVED
		survived+=("$n ($f)")
	elif [ $rc = 124 ]; then
		result=killed
		echo "$n: tests timed out after ${timeout_s}s" >"$out"
		printf -- '--- FAIL: the %ss timeout\n' "$timeout_s" >>"$out"
	elif grep -qE '\[(build|setup) failed\]|^# ' "$out"; then
		result=BROKEN
		broken+=("$n (does not build)")
	else
		result=killed
	fi
	printf '%s' "$orig" >"$f"
	failed=$(grep -E '^--- FAIL' "$out" | head -3 | sed 's/^ *--- FAIL: //; s/ (.*//' | tr '\n' ' ' || true)
	printf 'mutant    %-8s %4ss  %-40s %s\n' "$result" "$(($(date +%s) - t0))" "$n" "${failed:+by $failed}"
done

echo "mutants: ${#names[@]} run in $(($(date +%s) - start))s: $((${#names[@]} - ${#survived[@]} - ${#broken[@]})) killed, ${#survived[@]} survived, ${#broken[@]} broken"
status=0
if [ ${#survived[@]} -gt 0 ]; then
	echo "mutants: survivors (the tests miss these bugs):" >&2
	printf '  %s\n' "${survived[@]}" >&2
	status=1
fi
if [ ${#broken[@]} -gt 0 ]; then
	echo "mutants: broken mutants (fix scripts/mutants.txt):" >&2
	printf '  %s\n' "${broken[@]}" >&2
	status=1
fi
exit $status
