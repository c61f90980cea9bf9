#!/usr/bin/env bash
# migrate-new.sh NAME — create migrations/NNNNNN_NAME.up.sql and .down.sql with the next
# six-digit sequence number. NAME is snake_case, verb first (create_agreements).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:-}"

if [[ -z "$name" ]]; then
  echo "migrate-new: missing name; usage: make migrate-new name=create_agreements" >&2
  exit 2
fi
if ! [[ "$name" =~ ^[a-z][a-z0-9]*(_[a-z0-9]+)*$ ]]; then
  echo "migrate-new: name '$name' is not snake_case (lowercase letters, digits, single underscores)" >&2
  exit 2
fi

dir="$REPO/migrations"
mkdir -p "$dir"
last=0
for f in "$dir"/[0-9][0-9][0-9][0-9][0-9][0-9]_*.sql; do
  [[ -e "$f" ]] || continue
  n="$(basename "$f")"; n="${n%%_*}"
  if ((10#$n > last)); then last=$((10#$n)); fi
done
if compgen -G "$dir/[0-9]*_${name}.up.sql" >/dev/null; then
  echo "migrate-new: a migration named '$name' already exists: $(cd "$dir" && ls -- [0-9]*_"${name}".up.sql)" >&2
  exit 2
fi
seq="$(printf '%06d' $((last + 1)))"

up="$dir/${seq}_${name}.up.sql"
down="$dir/${seq}_${name}.down.sql"
printf -- '-- %s: apply.\n' "$name" >"$up"
printf -- '-- %s: revert everything the up migration does.\n' "$name" >"$down"
echo "created ${up#"$REPO"/}"
echo "created ${down#"$REPO"/}"
