#pragma once

#include <QMetaType>
#include <QString>

/**
 * Where a running stage stands, as the progress view and `stagecoach run` show it. A small value
 * type: the engine hands one out at most ~10 times a second (and once more at the end).
 */
struct TransferProgress
{
    QString stage;       ///< "backup", "setup", "suppressions", "wave"
    int wave = 0;
    QString phase;       ///< translated: "Reading the backup", "Writing", "Verifying on Brevo"
    qint64 done = 0;     ///< records handled (written, rejected, or written by an earlier attempt)
    qint64 total = -1;   ///< records the stage handles; -1 while unknown
    qint64 written = 0;
    qint64 failed = 0;   ///< rejected by the platform or by validation so far
    double rate = 0;     ///< records a second over the last few seconds
    qint64 etaSeconds = -1; ///< -1 while unknown
    int batch = 0;       ///< the current batch's number in its run
    int batchSize = 0;
    bool paused = false;
    qint64 elapsedMs = 0;
};

Q_DECLARE_METATYPE(TransferProgress)
