#pragma once

#include <QStringList>

/**
 * `stagecoach assess FILE... [--json] [--target ID] [--list duplicates|invalid]`: the assessment of
 * export files, headless. Returns the process exit status (0 success, 1 failure, 2 usage).
 */
int runAssessCommand(const QStringList &arguments);
