#pragma once

#include <QString>

namespace CommandLine {
/// Prints one line on stderr, as scripts expect ("stagecoach: <where>: <what>. <hint>"), and
/// returns status (1 failure, 2 usage).
int fail(const QString &message, int status = 1);
} // namespace CommandLine
