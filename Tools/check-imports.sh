#!/usr/bin/env bash
# Keeps docs/ARCHITECTURE.md's "Who may import whom" table true: every `import` in
# Sources/<target>/ must be listed on that target's row, and every target must have a row.
# The table is the rule; this script only reads it, so the docs and the check cannot drift apart.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/ARCHITECTURE.md

# Rows look like: | `RollSenseSignal` | `RollSenseWire` |   ("-" for nothing).
rules=$(awk '/^## Who may import whom/ {on=1; next} /^## / {on=0} on && /^\| `/' "$doc")
[ -n "$rules" ] || { echo "check-imports: no \"Who may import whom\" table in $doc" >&2; exit 1; }

allowed_for() {
    printf '%s\n' "$rules" | awk -F'|' -v t="\`$1\`" '{gsub(/ /, "", $2)} $2 == t {print $3}' | tr -d '`,' 
}

status=0
for dir in Sources/*/; do
    target=$(basename "$dir")
    # A here-string, not printf | grep -q: grep -q stops at the first match, printf then dies of
    # SIGPIPE, and pipefail turned that into a missing row now and then.
    if ! grep -q "^| \`$target\` |" <<<"$rules"; then
        echo "check-imports: target $target has no row in $doc's \"Who may import whom\" table: add one" >&2
        status=1
        continue
    fi
    allowed=" $(allowed_for "$target" | xargs) "
    while IFS=: read -r file line text; do
        module=$(printf '%s' "$text" | sed -E 's/^.*import[[:space:]]+(struct |class |enum |func |var |protocol )?([A-Za-z_][A-Za-z0-9_]*).*$/\2/')
        case "$allowed" in
            *" $module "*) ;;
            *) echo "check-imports: $file:$line imports $module, which $doc does not allow for $target" >&2; status=1 ;;
        esac
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*(public |internal |package )?import[[:space:]]' "$dir" --include='*.swift' || true)
done
[ $status -eq 0 ] && echo "check-imports: every import in Sources/ follows $doc"
exit $status
