/**
 * The snippets shown next to a fresh token: what a CI job needs, ready to paste.
 * The secret appears only in the "try it now" line; CI reads it from a secret.
 */
export interface CiExampleOptions {
  origin: string;
  token: string;
  problem: string;
  language: string;
  file: string;
}

export function ciExample({ origin, token, problem, language, file }: CiExampleOptions): string {
  return `# 1. Save the token as a CI secret named GRADEBOX_TOKEN.
# 2. In the job (exit 0 only when accepted; the JUnit report feeds the CI's test view):
export GRADEBOX_URL=${origin}
gradebox submit --problem ${problem} --language ${language} ${file} --junit report.xml

# GitHub Actions step:
- name: Grade with Gradebox
  run: gradebox submit --problem ${problem} --language ${language} ${file} --junit report.xml
  env:
    GRADEBOX_URL: ${origin}
    GRADEBOX_TOKEN: \${{ secrets.GRADEBOX_TOKEN }}

# Plain curl, no CLI needed:
python3 -c 'import json; print(json.dumps({"problem": "${problem}", "language": "${language}", "source": open("${file}").read()}))' > body.json
curl -sS --fail-with-body -H "Authorization: Bearer $GRADEBOX_TOKEN" \\
  -H "Idempotency-Key: $(date +%s)-$RANDOM" -H 'Content-Type: application/json' \\
  --data @body.json "$GRADEBOX_URL/api/v1/submissions?wait=60"

# Try it from this machine now:
GRADEBOX_URL=${origin} GRADEBOX_TOKEN=${token} gradebox submit --problem ${problem} --language ${language} ${file}`;
}
