// SPDX-License-Identifier: MIT
// Node-RED settings for the ingest benchmark (bench/ingest/run): headless,
// on 127.0.0.1, the port from SB_NR_PORT, the flow from this folder, the
// user folder given with -u (a temporary one). Everything else is
// Node-RED's default, as a user who installed it would have it.
const path = require('path');

module.exports = {
	uiHost: '127.0.0.1',
	uiPort: Number(process.env.SB_NR_PORT || 1880),
	flowFile: path.join(__dirname, 'flows.json'),
	flowFilePretty: true,
	credentialSecret: false,
	editorTheme: { projects: { enabled: false }, tours: false },
	telemetry: { enabled: false },
	diagnostics: { enabled: false },
	externalModules: { autoInstall: false, palette: { allowInstall: false } },
	logging: { console: { level: 'info', metrics: false, audit: false } },
	functionExternalModules: false,
	readOnly: true,
};
