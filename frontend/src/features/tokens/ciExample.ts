/** The snippet shown next to a fresh token: what a CI job needs, ready to paste. */
export function ciExample(origin: string, token: string, problem = "PROBLEM-SLUG"): string {
  return `# Store the token as a CI secret named GRADEBOX_TOKEN, then:
export GRADEBOX_URL=${origin}
export GRADEBOX_TOKEN=${token}

# With the gradebox CLI (exit 0 only when accepted; JUnit report for the CI UI):
gradebox submit --problem ${problem} --language python solution.py --junit report.xml

# Or with plain curl:
curl -sS -H "Authorization: Bearer $GRADEBOX_TOKEN" \\
  -H "Idempotency-Key: $(date +%s)-$RANDOM" \\
  -H 'Content-Type: application/json' \\
  --data "$(python3 -c 'import json,sys; print(json.dumps({"problem": "${problem}", "language": "python", "source": open("solution.py").read()}))')" \\
  "$GRADEBOX_URL/api/v1/submissions?wait=60"`;
}
