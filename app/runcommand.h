#pragma once

#include <QStringList>

/**
 * `stagecoach run PROJECT [--stage NAME] [--wave N] [--dry-run] [--yes]`: runs the project's
 * transfer stages with the same engine as the wizard, printing progress lines; `stagecoach run
 * --demo [--target brevo|klaviyo]` rehearses the whole demo migration against the built-in
 * sandbox and ends with a summary line per stage. Returns 0 when every stage run finished
 * cleanly, 1 on any failure, 2 for usage.
 */
int runRunCommand(const QStringList &arguments);
