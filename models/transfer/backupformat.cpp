#include "transfer/backupformat.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue count(qint64 n)
{
    return n >= 0 ? QJsonValue(n) : QJsonValue();
}

} // namespace

QString BackupFormat::fileName(BackupPart part)
{
    switch (part) {
    case BackupPart::Contacts:
        return kContacts;
    case BackupPart::Templates:
        return kTemplates;
    case BackupPart::Campaigns:
        return kCampaigns;
    }
    return {};
}

QJsonObject BackupFormat::contactJson(const SourceContact &c)
{
    QJsonObject fields;
    for (auto it = c.fields.begin(); it != c.fields.end(); ++it)
        fields.insert(it.key(), it.value());
    const ConsentEvidence &e = c.consent;
    const ContactLocation &l = c.location;
    return QJsonObject{
        {u"email"_s, c.email},
        {u"id"_s, c.id},
        {u"status"_s, ContactStatuses::key(c.status)},
        {u"platformStatus"_s, c.platformStatus},
        {u"fields"_s, fields},
        {u"tags"_s, QJsonArray::fromStringList(c.tags)},
        {u"consent"_s, QJsonObject{{u"optinTime"_s, timeJson(e.optinTime)},
                                   {u"optinIp"_s, e.optinIp},
                                   {u"confirmTime"_s, timeJson(e.confirmTime)},
                                   {u"confirmIp"_s, e.confirmIp},
                                   {u"suppressionTime"_s, timeJson(e.suppressionTime)},
                                   {u"suppressionReason"_s, e.suppressionReason}}},
        {u"language"_s, c.language},
        {u"location"_s,
         QJsonObject{{u"countryCode"_s, l.countryCode},
                     {u"region"_s, l.region},
                     {u"timezone"_s, l.timezone},
                     {u"latitude"_s, l.latitude ? QJsonValue(*l.latitude) : QJsonValue()},
                     {u"longitude"_s, l.longitude ? QJsonValue(*l.longitude) : QJsonValue()}}},
        {u"rating"_s, c.rating >= 0 ? QJsonValue(c.rating) : QJsonValue()},
        {u"lastChanged"_s, timeJson(c.lastChanged)},
    };
}

QJsonObject BackupFormat::fieldJson(const FieldDefinition &f)
{
    return QJsonObject{{u"key"_s, f.key},
                       {u"label"_s, f.label},
                       {u"type"_s, FieldTypes::key(f.type)},
                       {u"platformType"_s, f.platformType},
                       {u"required"_s, f.required},
                       {u"choices"_s, QJsonArray::fromStringList(f.choices)},
                       {u"format"_s, f.format}};
}

QJsonObject BackupFormat::templateJson(const TemplateInfo &t)
{
    return QJsonObject{{u"id"_s, t.id},
                       {u"name"_s, t.name},
                       {u"kind"_s, t.kind},
                       {u"created"_s, timeJson(t.created)},
                       {u"modified"_s, timeJson(t.modified)},
                       {u"active"_s, t.active},
                       {u"subject"_s, t.subject},
                       {u"html"_s, t.html}};
}

QJsonObject BackupFormat::campaignJson(const CampaignInfo &c)
{
    return QJsonObject{{u"id"_s, c.id},
                       {u"name"_s, c.name},
                       {u"subject"_s, c.subject},
                       {u"status"_s, c.status},
                       {u"sentAt"_s, timeJson(c.sentAt)},
                       {u"recipients"_s, count(c.recipients)},
                       {u"hasReport"_s, c.hasReport},
                       {u"uniqueOpens"_s, count(c.uniqueOpens)},
                       {u"uniqueClicks"_s, count(c.uniqueClicks)},
                       {u"hardBounces"_s, count(c.hardBounces)},
                       {u"softBounces"_s, count(c.softBounces)},
                       {u"unsubscribes"_s, count(c.unsubscribes)},
                       {u"complaints"_s, count(c.complaints)}};
}

// BackupFileSink --------------------------------------------------------------------------------

BackupFileSink::BackupFileSink(const QString &folder, const QString &name)
    : m_folder(folder)
    , m_name(name)
    , m_file(QDir(folder).filePath(name + BackupFormat::kPartSuffix))
{}

BackupFileSink::~BackupFileSink()
{
    if (!m_committed) {
        m_file.close();
        m_file.remove();
    }
}

Status BackupFileSink::open()
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return writeError();
    return Status::success();
}

Status BackupFileSink::writeLine(const QJsonObject &record)
{
    QByteArray line = QJsonDocument(record).toJson(QJsonDocument::Compact);
    line.append('\n');
    return write(line, 1);
}

Status BackupFileSink::write(const QByteArray &bytes, qint64 records)
{
    if (m_file.write(bytes) != bytes.size())
        return writeError();
    m_hash.addData(bytes);
    m_bytes += bytes.size();
    m_records += records;
    return Status::success();
}

Status BackupFileSink::commit()
{
    if (!m_file.flush())
        return writeError();
    m_file.close();
    const QString finalPath = QDir(m_folder).filePath(m_name);
    QFile::remove(finalPath);
    if (!m_file.rename(finalPath))
        return writeError();
    m_sha256 = QString::fromLatin1(m_hash.result().toHex());
    m_committed = true;
    return Status::success();
}

Error BackupFileSink::writeError() const
{
    return Error(tr("The backup file could not be written (%1).").arg(m_file.errorString()),
                 m_file.fileName(), tr("Check that the disk has room and the folder is writable."));
}
