#!/usr/bin/env bash
# Throughput: single process vs --spark local[2], alternating, on the quickstart model (2 training steps: speed only).
# First: ./sit run experiments/quickstart.yaml --set train.max_steps=2 --set train.ckpt_every=2 (makes results/000-quickstart).
# Usage: N=384 sit-spark/bench-local-vs-spark.sh (writes under /tmp/bench)
cd "$(dirname "$0")/.."
CK=$(ls -d $PWD/results/000-quickstart/checkpoints/0000002)
M="--hidden-size 128 --depth 4 --num-heads 4 --patch-size 4 --image-size 32 --in-channels 3 --num-classes 10 --learn-sigma false"
ARGS="ODE $M --ckpt $CK --sampling-method euler --num-sampling-steps 11 --cfg-scale 1.0 --num-fid-samples ${N:-128} --per-proc-batch-size 16"
for round in 1 2; do
  for how in single spark; do
    rm -rf /tmp/bench/$how
    extra=""; [ $how = spark ] && extra="--spark local[2]"
    start=$(date +%s.%N)
    ./sit sample $ARGS --sample-dir /tmp/bench/$how $extra > /tmp/bench-$how.log 2>&1
    end=$(date +%s.%N)
    rate=$(grep -o "[0-9.]* images/s" /tmp/bench-$how.log | tail -1)
    echo "round $round $how: wall $(echo "$end - $start" | bc) s, last reported $rate, load $(cut -d' ' -f1 /proc/loadavg)"
  done
  python3 - <<'PY'
import zipfile,glob
a=[zipfile.ZipFile(f).read('arr_0.npy') for f in sorted(glob.glob('/tmp/bench/single/*.npz')+glob.glob('/tmp/bench/spark/*.npz'))]
print('npz arr_0 identical:', len(a)==2 and a[0]==a[1])
PY
done
