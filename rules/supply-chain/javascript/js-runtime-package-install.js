const { execSync, spawn } = require('child_process');
const cp = require('child_process');

function ensurePlugin(name) {
  try {
    return require(name);
  } catch (e) {
    // ruleid: js-runtime-package-install
    execSync(`npm install ${name}`, { stdio: 'inherit' });
    return require(name);
  }
}

function renderPdf(file) {
  // ruleid: js-runtime-package-install
  return cp.exec(`npx md-to-pdf ${file}`);
}

function addDep(name) {
  // ruleid: js-runtime-package-install
  return spawn('npm', ['install', '--no-save', name]);
}

function build() {
  // ok: js-runtime-package-install
  execSync('npm run build', { stdio: 'inherit' });
  // ok: js-runtime-package-install
  return spawn('node', ['server.js']);
}

function scaffoldBot(dir) {
  process.chdir(dir);
  // ok: js-runtime-package-install
  let output = spawnSync('npm', ['init', '-y']);
  // ok: js-runtime-package-install
  output = spawnSync('npm', ['pack', '../local-hubot']);
  // ok: js-runtime-package-install
  output = spawnSync('npm', ['i', 'hubot@latest']);
  return output;
}

function buildAtRuntime() {
  // ok: js-runtime-package-install
  return spawnSync('npm', ['run', 'build']);
}

function installPluginOnDemand(name) {
  // ruleid: js-runtime-package-install
  return spawnSync('npm', ['i', name]);
}
