#pragma once

#include "connectors/connector.h"
#include "core/result.h"
#include "core/sha256.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QString>

/** The parts of a backup that can be exported again as CSV. */
enum class BackupPart { Contacts, Templates, Campaigns };

/** The file names and JSON shapes of a backup folder (format 1). */
namespace BackupFormat {

inline const QString kContacts = QStringLiteral("contacts.jsonl");
inline const QString kFields = QStringLiteral("fields.json");
inline const QString kTemplates = QStringLiteral("templates.jsonl");
inline const QString kCampaigns = QStringLiteral("campaigns.jsonl");
/// How an unfinished file is named until it is complete.
inline const QString kPartSuffix = QStringLiteral(".part");

QString fileName(BackupPart part);

/// One contact, every status: email, id, status key, platformStatus, fields, tags, consent,
/// language, location, rating, lastChanged. Invalid times are null.
QJsonObject contactJson(const SourceContact &c);
QJsonObject fieldJson(const FieldDefinition &f);
/// contactJson() read back: what the transfer stages write from. An Error when the record is not
/// one (no email, an unknown status key).
Result<SourceContact> contactFromJson(const QJsonObject &o);
/// The errors of contactFromJson() (BackupLineParser gives the same).
Error noEmailError();
Error unknownStatusError(const QString &statusKey);
FieldDefinition fieldFromJson(const QJsonObject &o);
QJsonObject templateJson(const TemplateInfo &t);
QJsonObject campaignJson(const CampaignInfo &c);

} // namespace BackupFormat

/**
 * One backup file written as `<name>.part`, hashed and counted as it is written, and renamed to
 * its name only by commit(): a file under its final name is always complete.
 */
class BackupFileSink
{
    Q_DECLARE_TR_FUNCTIONS(BackupFileSink)

public:
    BackupFileSink(const QString &folder, const QString &name);
    ~BackupFileSink(); ///< removes the .part file unless committed

    BackupFileSink(const BackupFileSink &) = delete;
    BackupFileSink &operator=(const BackupFileSink &) = delete;

    Status open();
    /// Appends one compact JSON line and counts a record.
    Status writeLine(const QJsonObject &record);
    /// Appends raw bytes and counts `records` records.
    Status write(const QByteArray &bytes, qint64 records);
    /// Flushes, closes and renames the .part file to its name.
    Status commit();

    QString name() const { return m_name; }
    qint64 records() const { return m_records; }
    qint64 bytes() const { return m_bytes; }
    QString sha256() const { return m_sha256; }

private:
    Error writeError() const;

    QString m_folder;
    QString m_name;
    QFile m_file;
    Sha256 m_hash;
    qint64 m_records = 0;
    qint64 m_bytes = 0;
    QString m_sha256;
    bool m_committed = false;
};
