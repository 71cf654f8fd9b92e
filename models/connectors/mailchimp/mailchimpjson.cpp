// Mailchimp's JSON shapes (specs/mailchimp/openapi.yaml) and the connector's value types.
#include "connectors/mailchimp/mailchimpjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace MailchimpJson {

namespace {

qint64 integer(const QJsonValue &v, qint64 fallback = -1)
{
    return v.isDouble() ? qint64(v.toDouble()) : fallback;
}

QString sourceStatusTag()
{
    // The first evidence field is the source status (ConsentMapping: SRCSTATUS).
    static const QString tag = ConsentMapping::evidenceFields(TargetPlatform::Mailchimp)
                                   .value(0)
                                   .name;
    return tag;
}

QHash<QString, QString> mergeTexts(const QJsonObject &merge)
{
    QHash<QString, QString> out;
    for (auto it = merge.begin(); it != merge.end(); ++it)
        out.insert(it.key(), mergeText(it.value()));
    return out;
}

QStringList tagNames(const QJsonArray &tags)
{
    QStringList out;
    for (const QJsonValue &t : tags)
        out.append(t.toObject().value(u"name"_s).toString());
    return out;
}

} // namespace

QDateTime time(const QJsonValue &value)
{
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss'+00:00'"_s) : QString();
}

ContactStatus status(const QString &word)
{
    static const QHash<QString, ContactStatus> statuses{
        {u"subscribed"_s, ContactStatus::Subscribed},
        {u"unsubscribed"_s, ContactStatus::Unsubscribed},
        {u"cleaned"_s, ContactStatus::Cleaned},
        {u"pending"_s, ContactStatus::Pending},
        {u"transactional"_s, ContactStatus::Transactional},
        {u"archived"_s, ContactStatus::Archived}};
    return statuses.value(word.trimmed().toLower(), ContactStatus::Unknown);
}

FieldType fieldType(const QString &mergeType)
{
    static const QHash<QString, FieldType> types{
        {u"birthday"_s, FieldType::Birthday}, {u"date"_s, FieldType::Date},
        {u"phone"_s, FieldType::Phone},       {u"address"_s, FieldType::Address},
        {u"number"_s, FieldType::Number},     {u"url"_s, FieldType::Url},
        {u"imageurl"_s, FieldType::Url}};
    return types.value(mergeType, FieldType::Text);
}

QString mergeType(FieldType type)
{
    switch (type) {
    case FieldType::Number: return u"number"_s;
    case FieldType::Date: return u"date"_s;
    case FieldType::Birthday: return u"birthday"_s;
    case FieldType::Phone: return u"phone"_s;
    case FieldType::Url: return u"url"_s;
    case FieldType::Address: return u"address"_s;
    case FieldType::Text:
    case FieldType::Tags: break;
    }
    return u"text"_s;
}

QString mergeText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 15);
    }
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (!value.isObject())
        return {};
    const QJsonObject a = value.toObject();
    QStringList parts;
    bool any = false;
    for (const QString &key : {u"addr1"_s, u"addr2"_s, u"city"_s, u"state"_s, u"zip"_s,
                               u"country"_s}) {
        const QString part = a.value(key).toString().trimmed();
        any = any || !part.isEmpty();
        if (key == u"addr2" && part.isEmpty())
            continue;
        parts.append(part);
    }
    return any ? parts.join(u"  "_s) : QString();
}

QJsonValue mergeValue(const QVariant &value, FieldType type)
{
    if (type == FieldType::Birthday
        && (value.metaType().id() == QMetaType::QDate
            || value.metaType().id() == QMetaType::QDateTime))
        return value.toDate().toString(u"MM/dd"_s);
    switch (value.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Int:
    case QMetaType::LongLong:
        return value.toDouble();
    case QMetaType::QDate:
        return value.toDate().toString(Qt::ISODate);
    case QMetaType::QDateTime:
        // Mailchimp's date merge fields hold a date; the time of day has no place there.
        return value.toDateTime().toUTC().date().toString(Qt::ISODate);
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    default:
        return value.toString();
    }
}

Audience audience(const QJsonObject &list)
{
    Audience a;
    a.id = list.value(u"id"_s).toString();
    a.name = list.value(u"name"_s).toString();
    a.created = time(list.value(u"date_created"_s));
    const QJsonObject stats = list.value(u"stats"_s).toObject();
    a.contacts = integer(stats.value(u"total_contacts"_s));
    const auto put = [&a, &stats](ContactStatus s, const QString &key) {
        if (stats.value(key).isDouble())
            a.byStatus.insert(s, integer(stats.value(key)));
    };
    put(ContactStatus::Subscribed, u"member_count"_s);
    put(ContactStatus::Unsubscribed, u"unsubscribe_count"_s);
    put(ContactStatus::Cleaned, u"cleaned_count"_s);
    return a;
}

FieldDefinition field(const QJsonObject &mergeField)
{
    FieldDefinition f;
    f.key = mergeField.value(u"tag"_s).toString();
    f.label = mergeField.value(u"name"_s).toString();
    if (f.label.isEmpty())
        f.label = f.key;
    f.platformType = mergeField.value(u"type"_s).toString();
    f.type = fieldType(f.platformType);
    f.required = mergeField.value(u"required"_s).toBool();
    const QJsonObject options = mergeField.value(u"options"_s).toObject();
    for (const QJsonValue &c : options.value(u"choices"_s).toArray())
        f.choices.append(c.toString());
    f.format = options.value(u"date_format"_s).toString();
    return f;
}

SourceContact contact(const QJsonObject &m, const QSet<QString> &complained)
{
    SourceContact c;
    c.id = m.value(u"id"_s).toString();
    c.email = m.value(u"email_address"_s).toString();
    c.platformStatus = m.value(u"status"_s).toString();
    c.status = status(c.platformStatus);
    // Mailchimp keeps a member who reported abuse as unsubscribed; the report says more.
    if (c.status == ContactStatus::Unsubscribed && complained.contains(c.email.toLower()))
        c.status = ContactStatus::Complained;
    c.fields = mergeTexts(m.value(u"merge_fields"_s).toObject());
    c.tags = tagNames(m.value(u"tags"_s).toArray());
    c.consent.optinTime = time(m.value(u"timestamp_signup"_s));
    c.consent.optinIp = m.value(u"ip_signup"_s).toString();
    c.consent.confirmTime = time(m.value(u"timestamp_opt"_s));
    c.consent.confirmIp = m.value(u"ip_opt"_s).toString();
    // unsubscribe_reason is not in the 3.0.55 document's member schema; read when present.
    c.consent.suppressionReason = m.value(u"unsubscribe_reason"_s).toString();
    c.language = m.value(u"language"_s).toString();
    const QJsonObject loc = m.value(u"location"_s).toObject();
    c.location.countryCode = loc.value(u"country_code"_s).toString();
    c.location.region = loc.value(u"region"_s).toString();
    c.location.timezone = loc.value(u"timezone"_s).toString();
    // Mailchimp sends 0/0 for "not known".
    const double lat = loc.value(u"latitude"_s).toDouble();
    const double lon = loc.value(u"longitude"_s).toDouble();
    if (lat != 0.0 || lon != 0.0) {
        c.location.latitude = lat;
        c.location.longitude = lon;
    }
    c.rating = int(integer(m.value(u"member_rating"_s)));
    c.lastChanged = time(m.value(u"last_changed"_s));
    return c;
}

TargetContactRecord record(const QJsonObject &m)
{
    TargetContactRecord r;
    r.email = m.value(u"email_address"_s).toString();
    r.state.platform = TargetPlatform::Mailchimp;
    r.state.mailchimpStatus = m.value(u"status"_s).toString();
    r.fields = mergeTexts(m.value(u"merge_fields"_s).toObject());
    r.state.sourceStatusField = r.fields.value(sourceStatusTag());
    r.tags = tagNames(m.value(u"tags"_s).toArray());
    return r;
}

SegmentInfo segment(const QJsonObject &s)
{
    return SegmentInfo{QString::number(integer(s.value(u"id"_s))), s.value(u"name"_s).toString(),
                       s.value(u"type"_s).toString(), integer(s.value(u"member_count"_s))};
}

TemplateInfo templateInfo(const QJsonObject &t)
{
    TemplateInfo info;
    info.id = QString::number(integer(t.value(u"id"_s)));
    info.name = t.value(u"name"_s).toString();
    info.kind = t.value(u"type"_s).toString();
    if (t.value(u"drag_and_drop"_s).toBool())
        info.kind += u" (drag-and-drop)"_s;
    info.created = time(t.value(u"date_created"_s));
    info.modified = time(t.value(u"date_edited"_s));
    info.active = t.value(u"active"_s).toBool(true);
    return info;
}

CampaignInfo campaign(const QJsonObject &c, const QJsonObject &report)
{
    CampaignInfo info;
    info.id = c.value(u"id"_s).toString();
    const QJsonObject settings = c.value(u"settings"_s).toObject();
    info.name = settings.value(u"title"_s).toString();
    info.subject = settings.value(u"subject_line"_s).toString();
    info.status = c.value(u"status"_s).toString();
    info.sentAt = time(c.value(u"send_time"_s));
    info.recipients = integer(c.value(u"emails_sent"_s));
    if (info.recipients <= 0)
        info.recipients = integer(c.value(u"recipients"_s).toObject().value(u"recipient_count"_s),
                                  info.recipients);
    if (report.isEmpty())
        return info;
    info.hasReport = true;
    info.uniqueOpens = integer(report.value(u"opens"_s).toObject().value(u"unique_opens"_s));
    info.uniqueClicks = integer(report.value(u"clicks"_s).toObject().value(u"unique_clicks"_s));
    const QJsonObject bounces = report.value(u"bounces"_s).toObject();
    info.hardBounces = integer(bounces.value(u"hard_bounces"_s));
    info.softBounces = integer(bounces.value(u"soft_bounces"_s));
    info.unsubscribes = integer(report.value(u"unsubscribed"_s));
    info.complaints = integer(report.value(u"abuse_reports"_s));
    return info;
}

AutomationInfo automation(const QJsonObject &a)
{
    AutomationInfo info;
    info.id = a.value(u"id"_s).toString();
    info.name = a.value(u"settings"_s).toObject().value(u"title"_s).toString();
    info.status = a.value(u"status"_s).toString();
    info.emails = int(integer(
        a.value(u"trigger_settings"_s).toObject().value(u"workflow_emails_count"_s)));
    info.created = time(a.value(u"create_time"_s));
    return info;
}

SendingDomainInfo sendingDomain(const QJsonObject &d)
{
    return SendingDomainInfo{d.value(u"domain"_s).toString(), d.value(u"verified"_s).toBool(),
                             d.value(u"authenticated"_s).toBool()};
}

IntegrationInfo connectedSite(const QJsonObject &s)
{
    QString name = s.value(u"domain"_s).toString();
    if (name.isEmpty())
        name = s.value(u"foreign_id"_s).toString();
    return IntegrationInfo{s.value(u"foreign_id"_s).toString(), name, u"connected site"_s};
}

IntegrationInfo store(const QJsonObject &s)
{
    const QString platform = s.value(u"platform"_s).toString();
    return IntegrationInfo{s.value(u"id"_s).toString(), s.value(u"name"_s).toString(),
                           platform.isEmpty() ? u"e-commerce store"_s
                                              : u"e-commerce store (%1)"_s.arg(platform)};
}

QJsonObject batchMember(const TargetContact &contact, bool withStatus,
                        const QHash<QString, FieldType> &types)
{
    const MailchimpWrite &w = contact.write.mailchimp;
    QJsonObject merge;
    for (auto it = contact.fields.cbegin(); it != contact.fields.cend(); ++it) {
        if (!it.value().isNull())
            merge.insert(it.key(), mergeValue(it.value(), types.value(it.key(), FieldType::Text)));
    }
    for (const EvidenceValue &e : contact.write.attributes)
        merge.insert(e.name, mergeValue(e.value));
    QJsonObject item{{u"email_address"_s, contact.email.trimmed()}};
    if (withStatus)
        item.insert(u"status"_s, w.status);
    if (!merge.isEmpty())
        item.insert(u"merge_fields"_s, merge);
    if (!contact.language.isEmpty())
        item.insert(u"language"_s, contact.language);
    if (w.timestampSignup.isValid())
        item.insert(u"timestamp_signup"_s, timeText(w.timestampSignup));
    if (!w.ipSignup.isEmpty())
        item.insert(u"ip_signup"_s, w.ipSignup);
    if (w.timestampOpt.isValid())
        item.insert(u"timestamp_opt"_s, timeText(w.timestampOpt));
    if (!w.ipOpt.isEmpty())
        item.insert(u"ip_opt"_s, w.ipOpt);
    return item;
}

} // namespace MailchimpJson
