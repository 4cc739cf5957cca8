// Headless Node-RED for the headline benchmark: no editor, no admin API, no project or credential files;
// the port, the user directory and the broker come from the environment (benchmarks/scripts/headline.sh sets them).
module.exports = {
    uiPort: parseInt(process.env.NODE_RED_PORT || "1880", 10),
    uiHost: "127.0.0.1",
    userDir: process.env.NODE_RED_USER_DIR,
    flowFile: "flow.json",
    disableEditor: true,
    httpAdminRoot: false,
    credentialSecret: false,
    logging: { console: { level: "warn", metrics: false, audit: false } },
    editorTheme: { projects: { enabled: false } },
    functionExternalModules: false,
    externalModules: { autoInstall: false, palette: { allowInstall: false } }
};
