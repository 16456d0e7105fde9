#!/usr/bin/env bash
# Install the workshop tools BESIDE the course's environment, into .workshop/, for tests/test_workshop.py
# (.ci/run calls this; a developer runs it once, then NNLIB_WORKSHOP=.workshop .venv/bin/python -m pytest -m workshop):
#   .workshop/python   JupyterHub + nbgitpuller + Voila (requirements-workshop.txt), pip --target: run them with
#                      PYTHONPATH=.workshop/python .venv/bin/python -m jupyterhub ...; `python -m course app`
#                      finds Voila there by itself
#   .workshop/proxy    configurable-http-proxy from npm, in a project-local prefix (nothing global)
# README's .venv stays exactly as learners get it. For a real workshop host, install everything into one
# environment instead (workshop/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PROXY_VERSION=5.3.0

rm -rf .workshop && mkdir .workshop
# Never committed and never linted: git and ruff both read this file.
printf '# installed by workshop/install-beside.sh\n*\n' > .workshop/.gitignore
.venv/bin/pip install --quiet --no-deps --target .workshop/python -r requirements-workshop.txt
npm install --prefix .workshop/proxy --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  "configurable-http-proxy@$PROXY_VERSION" >/dev/null
