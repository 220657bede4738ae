#!/usr/bin/env bash
# Runs every coverage-guided fuzz target (Jazzer @FuzzTest, see FUZZING.md) one after another, each for
# RUNS executions (default 1,000,000) or MAX_DURATION (default 2h), whichever comes first, under a
# 256 MB heap so that an allocation a few input bytes can make huge fails as OutOfMemoryError.
#
#   benchmarks/fuzz.sh                      # every target, 1,000,000 executions each
#   benchmarks/fuzz.sh 100000 ProtoMappingFuzzTest#request     # some targets, fewer executions
#
# A finding fails the target and lands as crash-<sha1> in the target's inputs folder under
# src/test/resources (<package>/<Class>Inputs/<method>/): keep it there, as a regression seed, once the
# parser is fixed. The corpus grown while fuzzing stays in <module>/.cifuzz-corpus/ (not committed).
# Logs and a summary (executions, seconds, coverage, corpus size) go to bench-results/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-1000000}
shift || true
MAX_DURATION=${MAX_DURATION:-2h}
HEAP=${HEAP:-256m}
ALL_TARGETS=(
  converter:PickleReaderFuzzTest#program
  converter:PyTorchCheckpointReaderFuzzTest#file
  converter:PyTorchCheckpointReaderFuzzTest#pickleInArchive
  model-format:ImageHeaderFuzzTest#headers
  model-format:SafetensorsFileFuzzTest#readAll
  model-format:PreprocessingSettingsFuzzTest#preprocessorConfig
  model-format:PreprocessingSettingsFuzzTest#assetJson
  model-registry:ModelConfigReaderFuzzTest#read
  server:ServerConfigReaderFuzzTest#read
  server:EndpointsFileReaderFuzzTest#parse
  server:ProtoMappingFuzzTest#request
  server:PredictMappingFuzzTest#request
  server:KserveMappingFuzzTest#inferInputs
  server:KserveMappingFuzzTest#httpBody
  # Last: every input that passes the header checks goes through TensorFlow's decoders, ~100x slower.
  model-format:ImagePreprocessorFuzzTest#preprocess
)
SELECTED=("$@")

RESULTS=bench-results/fuzz
mkdir -p "$RESULTS"
# Targets that read files write them to a RAM disk where there is one: ten times the executions.
SCRATCH=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/swinserve-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
SUMMARY="$RESULTS/summary.tsv"
printf 'target\texecutions\tseconds\tcoverage\tcorpus_files\tresult\n' > "$SUMMARY"

failed=0
for entry in "${ALL_TARGETS[@]}"; do
  module=${entry%%:*}
  test=${entry#*:}
  if [ ${#SELECTED[@]} -gt 0 ] && ! printf '%s\n' "${SELECTED[@]}" | grep -qx -e "$test" -e "${test%%#*}"; then
    continue
  fi
  log="$RESULTS/${test/\#/-}.log"
  echo "== $test ($module): up to $RUNS executions or $MAX_DURATION, heap $HEAP"
  start=$(date +%s)
  JAZZER_FUZZ=1 JAZZER_MAX_EXECUTIONS=$RUNS JAZZER_MAX_DURATION=$MAX_DURATION \
    mvn -B -ntp -q -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -DskipDnsFailoverTest=true -DargLine="-Xmx$HEAP -Djava.io.tmpdir=$SCRATCH" \
      -Dsurefire.redirectTestOutputToFile=false > "$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | head -1)
  executions=$(grep -oE '^Done [0-9]+ runs' "$log" | head -1 | grep -oE '[0-9]+')
  coverage=$(echo "$done_line" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
  class=${test%%#*}
  package=$(grep -rl --include="$class.java" "class $class" "$module/src/test/java" | head -1 \
    | sed -e "s#$module/src/test/java/##" -e "s#/$class.java##" -e 's#/#.#g')
  corpus="$module/.cifuzz-corpus/$package.$class/${test#*#}"
  files=$(ls "$corpus" 2>/dev/null | wc -l)
  result=$([ $status -eq 0 ] && echo ok || echo "FAILED (see $log)")
  [ $status -eq 0 ] || failed=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$test" "${executions:-?}" "$seconds" "${coverage:-?}" "$files" "$result" \
    | tee -a "$SUMMARY"
done
column -t -s $'\t' "$SUMMARY"
exit $failed
