# shellcheck shell=sh disable=SC3043 # (local: busybox ash and dash have it)
# status.sh - mirrorlive's status fields, by the names of
# mirrorlive-abi.sh (ML_F_*), from dm_status's params.

# ml_field_number FIELD: the number of a mirrorlive status field named as
# in mirrorlive-abi.sh (phase, progress, mirrored_writes, dest_errors,
# source_errors, zero_regions, max_copy_kbps, reason), or a number as is
ml_field_number() {
    local var n
    case "$1" in
        ''|*[!0-9]*)
            var=ML_F_$(echo "$1" | tr a-z A-Z)
            eval "n=\${$var:-}"
            [ -n "$n" ] || { echo "ml_field_number: no status field $1" >&2; return 1; }
            echo "$n" ;;
        *) echo "$1" ;;
    esac
}

# dm_status_field DEV FIELD [LINE] [--inactive]: one status param, by name
# (ml_field_number) or 1-based number.
dm_status_field() {
    local n
    n=$(ml_field_number "$2") || return 1
    dm_status "$1" "${3:-1}" "${4:-}" | cut -d' ' -f"$n"
}

# ml_pick STATUS FIELD...: the named fields (ml_field_number) of a status
# params string (dm_status's output), space-separated
ml_pick() {
    local st out f n
    st=$1; shift
    out=""
    for f in "$@"; do
        n=$(ml_field_number "$f") || return 1
        out="$out${out:+ }$(echo "$st" | cut -d' ' -f"$n")"
    done
    echo "$out"
}

# ml_fields DEV FIELD...: ml_pick on DEV's first status line
ml_fields() { local dev; dev=$1; shift; ml_pick "$(dm_status "$dev")" "$@"; }
# every field but the progress, which a copy still moves (for the cases)
# shellcheck disable=SC2034
ML_FIELDS_BUT_PROGRESS="phase mirrored_writes dest_errors source_errors reason"

# ml_phase DEV / ml_copied DEV / ml_total DEV: mirrorlive status shortcuts.
ml_phase()  { dm_status_field "$1" phase; }
ml_copied() { dm_status_field "$1" progress | cut -d/ -f1; }
ml_total()  { dm_status_field "$1" progress | cut -d/ -f2; }
# ml_errs DEV: "phase dest_errors source_errors reason"
ml_errs()   {
    dm_status "$1" | awk -v p="$ML_F_PHASE" -v d="$ML_F_DEST_ERRORS" \
        -v s="$ML_F_SOURCE_ERRORS" -v r="$ML_F_REASON" '{ print $p, $d, $s, $r }'
}
