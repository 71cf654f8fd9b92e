#pragma once

#include "integrity/diffrecordsource.h"

#include <QMutex>

/**
 * A Stagecoach backup folder (manifest.json, fields.json, contacts.jsonl: the verified snapshot of
 * the source) as one side of a diff. Fields are the backup's field keys (labels for the automatic
 * mapping) and "tags". The locator is the byte offset of the contact's line.
 */
class BackupRecordSource : public DiffRecordSource
{
    Q_DECLARE_TR_FUNCTIONS(BackupRecordSource)

public:
    explicit BackupRecordSource(QString folder);

    /// Whether `path` is a folder holding a backup's contacts.jsonl.
    static bool isBackupFolder(const QString &path);

    QString displayName() const override { return m_folder; }
    Status open() override;
    QList<DiffSourceField> fields() const override { return m_fields; }
    std::optional<TargetPlatform> platform() const override { return m_platform; }
    Status scan(const QList<int> &columns, const Visitor &visit, const std::atomic_bool *cancel) override;
    Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) override;

private:
    QString m_folder;
    QString m_contactsPath;
    std::optional<TargetPlatform> m_platform;
    QList<DiffSourceField> m_fields;
    QMutex m_readMutex;
};
