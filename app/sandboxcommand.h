#pragma once

#include <QStringList>

/**
 * `stagecoach sandbox [--port N] [--seed demo|empty] [--contacts N] [--faults RATE]`: runs the
 * local emulations of the platforms' APIs until interrupted, printing each one's base URL and
 * key. Returns the process exit status (0 after SIGINT/SIGTERM, 1 failure, 2 usage).
 */
int runSandboxCommand(const QStringList &arguments);
