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

namespace {
QDateTime timeFromJson(const QJsonValue &v)
{
    return v.isString() ? QDateTime::fromString(v.toString(), Qt::ISODateWithMs) : QDateTime();
}
} // namespace

Result<SourceContact> BackupFormat::contactFromJson(const QJsonObject &o)
{
    SourceContact c;
    c.email = o.value(u"email").toString();
    if (c.email.isEmpty())
        return noEmailError();
    const auto status = ContactStatuses::fromKey(o.value(u"status").toString());
    if (!status)
        return unknownStatusError(o.value(u"status").toString());
    c.status = *status;
    c.id = o.value(u"id").toString();
    c.platformStatus = o.value(u"platformStatus").toString();
    const QJsonObject fields = o.value(u"fields").toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        c.fields.insert(it.key(), it.value().toString());
    for (const QJsonValue &t : o.value(u"tags").toArray())
        c.tags.append(t.toString());
    const QJsonObject e = o.value(u"consent").toObject();
    c.consent.optinTime = timeFromJson(e.value(u"optinTime"));
    c.consent.optinIp = e.value(u"optinIp").toString();
    c.consent.confirmTime = timeFromJson(e.value(u"confirmTime"));
    c.consent.confirmIp = e.value(u"confirmIp").toString();
    c.consent.suppressionTime = timeFromJson(e.value(u"suppressionTime"));
    c.consent.suppressionReason = e.value(u"suppressionReason").toString();
    c.language = o.value(u"language").toString();
    const QJsonObject l = o.value(u"location").toObject();
    c.location.countryCode = l.value(u"countryCode").toString();
    c.location.region = l.value(u"region").toString();
    c.location.timezone = l.value(u"timezone").toString();
    if (l.value(u"latitude").isDouble())
        c.location.latitude = l.value(u"latitude").toDouble();
    if (l.value(u"longitude").isDouble())
        c.location.longitude = l.value(u"longitude").toDouble();
    c.rating = o.value(u"rating").isDouble() ? o.value(u"rating").toInt() : -1;
    c.lastChanged = timeFromJson(o.value(u"lastChanged"));
    return c;
}

Error BackupFormat::noEmailError()
{
    return Error(QCoreApplication::translate("BackupFormat", "The record has no email address."));
}

Error BackupFormat::unknownStatusError(const QString &statusKey)
{
    return Error(QCoreApplication::translate("BackupFormat", "The record's status \"%1\" is not one Stagecoach knows.")
                     .arg(statusKey));
}

FieldDefinition BackupFormat::fieldFromJson(const QJsonObject &o)
{
    FieldDefinition f;
    f.key = o.value(u"key").toString();
    f.label = o.value(u"label").toString();
    f.type = FieldTypes::fromKey(o.value(u"type").toString()).value_or(FieldType::Text);
    f.platformType = o.value(u"platformType").toString();
    f.required = o.value(u"required").toBool();
    for (const QJsonValue &c : o.value(u"choices").toArray())
        f.choices.append(c.toString());
    f.format = o.value(u"format").toString();
    return f;
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
    m_sha256 = m_hash.hexResult();
    if (m_sha256.isEmpty())
        return Error(QCoreApplication::translate("BackupFormat", "The file could not be hashed (SHA-256 failed)."),
                     m_file.fileName(),
                     QCoreApplication::translate("BackupFormat", "Check the OpenSSL installation and make the backup again."));
    const QString finalPath = QDir(m_folder).filePath(m_name);
    QFile::remove(finalPath);
    if (!m_file.rename(finalPath))
        return writeError();
    m_committed = true;
    return Status::success();
}

Error BackupFileSink::writeError() const
{
    return Error(tr("The backup file could not be written (%1).").arg(m_file.errorString()),
                 m_file.fileName(), tr("Check that the disk has room and the folder is writable."));
}
