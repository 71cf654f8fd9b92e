#pragma once

#include "transfer/backupmanifest.h"
#include "transfer/waveassignment.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

/**
 * What the stages of one project session work out once and reuse (the TransferController keeps
 * one for the project it has open and hands it to every engine it makes):
 *
 * - that the backup verified: re-reading and re-hashing a million contacts takes seconds, so a
 *   later stage of the session hashes again only when a file of the backup (or its manifest) is no
 *   longer the size it had or was modified since — the cheap check catches a backup replaced or
 *   edited between stages, the full one ran when the session first used it;
 * - every contact's wave: the assignment reads the whole backup, and the same backup with the same
 *   plan, seeds and target always gives the same waves, so a later wave of the session takes it
 *   from here instead of reading the backup a second time.
 *
 * Thread-safe: the engines run on worker threads, one at a time, but the memo outlives each.
 */
class TransferMemo
{
public:
    /// The folder verified when the session did it, and none of its files changed since.
    bool isVerified(const QString &folder) const;
    /// Remembers that `folder` verified against `manifest` now (the files' sizes and times).
    void setVerified(const QString &folder, const BackupManifest &manifest);

    /// What a wave assignment depends on besides the backup's bytes.
    struct AssignmentInputs
    {
        QString folder;
        QList<qint64> waveSizes; ///< WavePlan::contacts, wave 0 first
        QStringList seeds;
        int platform = 0;

        bool operator==(const AssignmentInputs &) const = default;
    };
    /// The assignment made for these inputs while the backup stayed as verified; null otherwise.
    std::shared_ptr<const WaveAssignmentResult> assignment(const AssignmentInputs &inputs) const;
    void setAssignment(const AssignmentInputs &inputs, std::shared_ptr<const WaveAssignmentResult> result);

private:
    struct Stamp
    {
        QString path;
        qint64 bytes = -1;
        QDateTime modified;
        bool operator==(const Stamp &) const = default;
    };
    static QList<Stamp> stampsOf(const QString &folder, const QStringList &names);
    bool unchangedLocked(const QString &folder) const;

    mutable QMutex m_mutex;
    QHash<QString, QList<Stamp>> m_verified; ///< by folder
    struct Assigned
    {
        AssignmentInputs inputs;
        std::shared_ptr<const WaveAssignmentResult> result;
    };
    std::optional<Assigned> m_assigned; ///< the latest only: one backup per project
};
