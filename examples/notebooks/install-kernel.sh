#!/usr/bin/env bash
# Builds the Java notebook kernel (examples/notebooks/kernel) and installs it as the Jupyter
# kernelspec "integral4j-java" for the current user. Needs Java 17, Maven and Jupyter; on Debian:
#   apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client
# Extra arguments go to Maven, e.g. -o or -Dmaven.repo.local=DIR.
# JVM options of the kernel: INTEGRAL4J_KERNEL_JVM_OPTS (default below) at install time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kernel="$here/kernel"

if ! command -v jupyter >/dev/null 2>&1; then
  echo "install-kernel.sh: 'jupyter' not found; on Debian: apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client" >&2
  exit 1
fi

mvn -B -q -f "$kernel/pom.xml" package "$@"
jar="$(ls "$kernel"/target/integral4j-notebook-kernel-*.jar | head -n 1)"

opts="${INTEGRAL4J_KERNEL_JVM_OPTS:--Xmx6g -Dorg.bytedeco.javacpp.maxbytes=10G -Dorg.bytedeco.javacpp.maxphysicalbytes=16G -Dorg.eclipse.deeplearning4j.helpers.disable=false -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn}"

spec="$(mktemp -d)/integral4j-java"
mkdir -p "$spec"
{
  printf '{\n  "argv": ["java"'
  for o in $opts; do printf ', "%s"' "$o"; done
  printf ', "-cp", "%s:%s/target/lib/*", "org.integral4j.notebook.KernelMain", "{connection_file}"],\n' "$jar" "$kernel"
  printf '  "display_name": "Java (Integral4J)",\n  "language": "java",\n  "interrupt_mode": "message"\n}\n'
} > "$spec/kernel.json"

jupyter kernelspec install --user --name integral4j-java "$spec" >/dev/null
rm -rf "$(dirname "$spec")"
echo "installed Jupyter kernel integral4j-java: $(jupyter kernelspec list | grep integral4j-java)"
