#pragma once

#include <QStringList>

/**
 * `stagecoach export PROJECT [--plan-pdf F] [--checklist-csv F] [--checklist-md F]
 * [--checklist-ics F] [--checklist-pdf F]`: writes the plan's exports headless. Returns the process exit
 * status (0 success, 1 failure, 2 usage). Needs a QGuiApplication (fonts, PDF painting).
 */
int runExportCommand(const QStringList &arguments);
