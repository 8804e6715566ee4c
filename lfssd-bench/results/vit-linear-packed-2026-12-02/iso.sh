for r in 1 2 3; do
 for opt in "-Dlfssd.bench.frozen=true" "-Dlfssd.bench.frozen=false"; do
  out=$(java --add-modules jdk.incubator.vector -Xmx8g $opt -cp linw3.jar org.lfssd.bench.ImportanceProfile vit32_b16 1 lfssd 3 5 2>&1)
  cpu=$(echo "$out" | grep -o 'process CPU [0-9.]*' | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "r$r linw3 $opt t=1: cpu/step $cpu $(echo "$out" | grep -o 'median [0-9.]* img/s') $(echo "$out" | grep -o 'checksum [0-9.]*') load $(cut -d' ' -f1 /proc/loadavg)"
 done
done
