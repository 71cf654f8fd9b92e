#pragma once

#include <QStringList>

/// `stagecoach diff SOURCE TARGET [--map FILE] [--json] [--out FILE]`: the integrity diff.
int runDiffCommand(const QStringList &arguments);
