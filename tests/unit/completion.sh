#!/bin/bash
# Self-test of userspace/mirrorctl.bash-completion against the real
# mirrorctl's help, so that the two lists never drift apart:
#   - every action `mirrorctl --help` lists is completed as a first word;
#   - for every action, the options completed after it are exactly those
#     `mirrorctl help ACTION` lists under "Options:", plus the global ones;
#   - a few completions of partial words and of DEVICE arguments.
# Prints TAP; exits non-zero when any check fails.  Starts no guest.
#
#   tests/unit/completion.sh [MIRRORCTL]
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
MIRRORCTL=${1:-$TOP/userspace/mirrorctl}
COMPLETION=$TOP/userspace/mirrorctl.bash-completion

n=0 failed=0
ok() {	# ok DESC GOT WANT
	n=$((n + 1))
	if [[ $2 == "$3" ]]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		echo "#   got:  '$2'"
		echo "#   want: '$3'"
	fi
}

[[ -x $MIRRORCTL ]] || { echo "Bail out! no $MIRRORCTL (make mirrorctl)"; exit 1; }
# shellcheck source=../../userspace/mirrorctl.bash-completion
. "$COMPLETION" || { echo "Bail out! cannot source $COMPLETION"; exit 1; }

# complete_words WORD...: what the completion offers for the last WORD of
# "mirrorctl WORD...", sorted, one line
complete_words() {
	COMP_WORDS=(mirrorctl "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_mirrorctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

sorted() { tr ' \t' '\n\n' | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# the actions of --help: "  NAME ..." lines between "Actions:" and a blank
help_actions=$("$MIRRORCTL" --help | sed -n '/^Actions:/,/^$/p' |
	sed -n 's/^  \([a-z-][a-z-]*\).*/\1/p')
# and their old names, "(also: NAME)"
help_aliases=$("$MIRRORCTL" --help | sed -n 's/.*(also: \([a-z-]*\)).*/\1/p')
ok "every action and alias of --help is completed" \
	"$(complete_words "" | sorted)" \
	"$(echo "$help_actions $help_aliases" | sorted)"
ok "a partial action" "$(complete_words st)" "start status"
ok "the global options" "$(complete_words - | sorted)" \
	"$(echo "$_mirrorctl_global" | sorted)"

for a in $help_actions $help_aliases; do
	[[ $a == help ]] && continue
	want=$("$MIRRORCTL" help "$a" | sed -n '/^Options:/,/^$/p' |
		sed -n 's/^  \(--[a-z-]*\).*/\1/p')
	ok "$a: its options, as mirrorctl help $a lists them" \
		"$(complete_words "$a" -- | sorted)" \
		"$(echo "$want $_mirrorctl_global" | grep -o -- '--[a-z-]*' | sorted)"
done

ok "an option's value is not an action" "$(complete_words start vm --max-rate 10)" "100M 10M"
ok "help ACTION" "$(complete_words help comp)" "complete"
ok "wrap completes a path for BLOCKDEV" "$(complete_words wrap /dev/nul)" "/dev/null"
ok "recover takes no argument" "$(complete_words recover "")" ""

echo "1..$n"
((failed == 0))
