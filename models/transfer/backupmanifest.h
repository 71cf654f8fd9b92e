#pragma once

#include "contacts/contactstatus.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/** One file of a backup as the manifest records it. */
struct BackupFileEntry
{
    QString name;       ///< e.g. "contacts.jsonl", relative to the backup folder
    qint64 records = 0; ///< JSON lines (.jsonl) or array elements (.json)
    qint64 bytes = 0;
    QString sha256; ///< lower-case hex
};

/**
 * What a finished backup holds: manifest.json, written last. A backup folder without one is an
 * unfinished backup.
 */
struct BackupManifest
{
    Q_DECLARE_TR_FUNCTIONS(BackupManifest)

public:
    static constexpr int kFormat = 1;
    static inline const QString kFileName = QStringLiteral("manifest.json");

    QString platform; ///< TargetPlatforms::key of the source
    QString accountId;
    QString accountName;
    QString audienceId;
    QString audienceName;
    QDateTime started;  ///< UTC
    QDateTime finished; ///< UTC
    QList<BackupFileEntry> files;
    /// Parts the source's API does not offer ("templates", "campaigns" ...), not backed up.
    QStringList skipped;
    /// contacts.jsonl lines per status (ContactStatuses::key); statuses with none are absent.
    QHash<ContactStatus, qint64> contactsByStatus;

    /// The folder the manifest was read from or written to (not stored in the file).
    QString folder;

    const BackupFileEntry *file(const QString &name) const;
    qint64 contacts() const;

    QJsonObject toJson() const;
    /// Reads a manifest back; an Error names `where` and the key that is wrong.
    static Result<BackupManifest> fromJson(const QJsonObject &json, const QString &where);
    /// Reads `<folder>/manifest.json`.
    static Result<BackupManifest> load(const QString &folder);
};
