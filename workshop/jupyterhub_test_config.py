# The workshop hub as tests/test_workshop.py runs it: the production settings of jupyterhub_config.py
# (same single-user command, environment, default URL), with what a test on one machine needs instead
# of real users. Used only by the test: NO ISOLATION between learners (SimpleLocalProcessSpawner runs
# every server as the user running the test) and one shared password.
#
# The test sets, for the hub process:
#   NNLIB_WORKSHOP_TEST_DIR    a temporary folder: learners' homes go to homes/<name>
#   NNLIB_WORKSHOP_PORTS       three free loopback ports: public (proxy), proxy API, hub
#   NNLIB_WORKSHOP_LEARNERS    comma-separated learner names
#   NNLIB_WORKSHOP_PASSWORD    their shared password
#   NNLIB_WORKSHOP_TOKEN       an API token for the test itself (a service that can start servers and
#                              use them, as an instructor's script would)
#   NNLIB_WORKSHOP_PROXY       the configurable-http-proxy program
#   NNLIB_WORKSHOP_BESIDE      (optional) the folder where requirements-workshop.txt was installed beside
#                              the environment (pip --target), as .ci/run does
import os

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)
# an absolute path: a relative one is looked up in the working folder, and a missing file is ignored
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "jupyterhub_config.py"))  # noqa: F821

TEST_DIR = os.environ["NNLIB_WORKSHOP_TEST_DIR"]
public, proxy_api, hub = os.environ["NNLIB_WORKSHOP_PORTS"].split(",")
LEARNERS = set(os.environ["NNLIB_WORKSHOP_LEARNERS"].split(","))

c.JupyterHub.bind_url = f"http://127.0.0.1:{public}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub}"
c.Spawner.ip = "127.0.0.1"

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["NNLIB_WORKSHOP_PASSWORD"]
c.Authenticator.allowed_users = LEARNERS
c.Authenticator.admin_users = set()

c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(TEST_DIR, "homes", "{username}")
if os.geteuid() == 0:                       # CI and containers run as root
    c.Spawner.args = ["--allow-root"]

c.JupyterHub.services = [{"name": "workshop-test", "api_token": os.environ["NNLIB_WORKSHOP_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "workshop-test", "services": ["workshop-test"],
                            "scopes": ["admin:users", "admin:servers", "access:servers"]}]

beside = os.environ.get("NNLIB_WORKSHOP_BESIDE")
if beside:
    # jupyterhub.singleuser and nbgitpuller live beside the environment: put them on the servers' path
    # (after the learner's course copy) and let Jupyter find nbgitpuller's enabling file there.
    course_copy = c.Spawner.environment["PYTHONPATH"]
    c.Spawner.environment["PYTHONPATH"] = lambda spawner: os.pathsep.join([course_copy(spawner), beside])
    c.Spawner.environment["JUPYTER_CONFIG_PATH"] = os.path.join(beside, "etc", "jupyter")
