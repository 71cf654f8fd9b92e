#include "connectors/brevo/brevojson.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(BrevoJson)
};

QString idText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::number(v.toInteger());
}

qint64 number(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? v.toInteger() : -1;
}

bool holds(const QJsonValue &ids, qint64 id)
{
    for (const QJsonValue &v : ids.toArray()) {
        if (v.toInteger() == id)
            return true;
    }
    return false;
}

} // namespace

QDateTime BrevoJson::time(const QJsonValue &value)
{
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}

QString BrevoJson::timeParameter(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
}

AccountInfo BrevoJson::account(const QJsonObject &a)
{
    AccountInfo info;
    // getAccount has no account id; the owner's address names the account.
    info.id = a.value(u"email"_s).toString();
    info.email = info.id;
    info.name = a.value(u"companyName"_s).toString();
    if (info.name.isEmpty())
        info.name = (a.value(u"firstName"_s).toString() + u' ' + a.value(u"lastName"_s).toString())
                        .trimmed();
    QStringList plans;
    for (const QJsonValue &p : a.value(u"plan"_s).toArray()) {
        const QJsonObject plan = p.toObject();
        plans.append(Tr::tr("%1 (%2 %3)")
                         .arg(plan.value(u"type"_s).toString(),
                              QString::number(plan.value(u"credits"_s).toDouble()),
                              plan.value(u"creditsType"_s).toString()));
    }
    if (!plans.isEmpty())
        info.detail = Tr::tr("Plan: %1").arg(plans.join(u", "_s));
    return info;
}

Audience BrevoJson::audience(const QJsonObject &list)
{
    Audience a;
    a.id = idText(list.value(u"id"_s));
    a.name = list.value(u"name"_s).toString();
    // uniqueSubscribers counts each contact of the list once, whatever its state; Brevo gives no
    // per-status figures here (totalBlacklisted mixes unsubscribes, bounces and complaints).
    a.contacts = number(list, u"uniqueSubscribers"_s);
    if (a.contacts < 0)
        a.contacts = number(list, u"totalSubscribers"_s);
    a.created = time(list.value(u"createdAt"_s));
    return a;
}

FieldDefinition BrevoJson::field(const QJsonObject &attribute)
{
    FieldDefinition f;
    f.key = attribute.value(u"name"_s).toString();
    f.label = f.key;
    f.platformType = attribute.value(u"type"_s).toString();
    const QString category = attribute.value(u"category"_s).toString();
    if (f.platformType.isEmpty())
        f.platformType = category == u"normal" ? u"multiple-choice"_s : category;
    f.type = fieldType(f.platformType);
    for (const QJsonValue &e : attribute.value(u"enumeration"_s).toArray())
        f.choices.append(e.toObject().value(u"label"_s).toString());
    f.required = false;
    return f;
}

SegmentInfo BrevoJson::segment(const QJsonObject &segment)
{
    return SegmentInfo{idText(segment.value(u"id"_s)), segment.value(u"segmentName"_s).toString(),
                       u"segment"_s, -1};
}

TemplateInfo BrevoJson::templateInfo(const QJsonObject &t)
{
    TemplateInfo info;
    info.id = idText(t.value(u"id"_s));
    info.name = t.value(u"name"_s).toString();
    info.kind = u"smtp"_s;
    info.created = time(t.value(u"createdAt"_s));
    info.modified = time(t.value(u"modifiedAt"_s));
    info.active = t.value(u"isActive"_s).toBool(true);
    info.subject = t.value(u"subject"_s).toString();
    return info;
}

CampaignInfo BrevoJson::campaign(const QJsonObject &c)
{
    CampaignInfo info;
    info.id = idText(c.value(u"id"_s));
    info.name = c.value(u"name"_s).toString();
    info.subject = c.value(u"subject"_s).toString();
    info.status = c.value(u"status"_s).toString();
    info.sentAt = time(c.value(u"sentDate"_s));
    const QJsonObject global
        = c.value(u"statistics"_s).toObject().value(u"globalStats"_s).toObject();
    info.hasReport = !global.isEmpty();
    if (info.hasReport) {
        info.recipients = number(global, u"sent"_s);
        info.uniqueOpens = number(global, u"uniqueViews"_s);
        info.uniqueClicks = number(global, u"uniqueClicks"_s);
        info.hardBounces = number(global, u"hardBounces"_s);
        info.softBounces = number(global, u"softBounces"_s);
        info.unsubscribes = number(global, u"unsubscriptions"_s);
        info.complaints = number(global, u"complaints"_s);
    }
    return info;
}

SendingDomainInfo BrevoJson::domain(const QJsonObject &d)
{
    return SendingDomainInfo{d.value(u"domain_name"_s).toString(), d.value(u"verified"_s).toBool(),
                             d.value(u"authenticated"_s).toBool()};
}

QHash<QString, QString> BrevoJson::attributesText(const QJsonObject &attributes)
{
    QHash<QString, QString> out;
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isString())
            out.insert(it.key(), v.toString());
        else if (v.isDouble())
            out.insert(it.key(), QString::number(v.toDouble(), 'g', 15));
        else if (v.isBool())
            out.insert(it.key(), v.toBool() ? u"true"_s : u"false"_s);
        else if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray())
                parts.append(e.toVariant().toString());
            out.insert(it.key(), parts.join(u", "_s));
        }
    }
    return out;
}

SourceContact BrevoJson::sourceContact(const QJsonObject &c, qint64 listId,
                                       const QHash<QString, QString> &blocked)
{
    SourceContact s;
    s.id = idText(c.value(u"id"_s));
    s.email = c.value(u"email"_s).toString();
    s.lastChanged = time(c.value(u"modifiedAt"_s));
    s.fields = attributesText(c.value(u"attributes"_s).toObject());
    s.fields.remove(u"EMAIL"_s);
    const bool blacklisted = c.value(u"emailBlacklisted"_s).toBool();
    const bool inList = listId > 0 ? holds(c.value(u"listIds"_s), listId)
                                   : !c.value(u"listIds"_s).toArray().isEmpty();
    const bool listUnsubscribed = listId > 0 && holds(c.value(u"listUnsubscribed"_s), listId);
    if (blacklisted) {
        // The blocklist's reason tells bounces and spam complaints from unsubscribes.
        const QString reason = blocked.value(s.email.toLower());
        s.status = reason == u"hardBounce"             ? ContactStatus::Cleaned
                   : reason == u"contactFlaggedAsSpam" ? ContactStatus::Complained
                                                       : ContactStatus::Unsubscribed;
        s.platformStatus
            = reason.isEmpty() ? u"emailBlacklisted"_s : u"emailBlacklisted (%1)"_s.arg(reason);
    } else if (listUnsubscribed) {
        s.status = ContactStatus::Unsubscribed;
        s.platformStatus = u"listUnsubscribed"_s;
    } else if (inList) {
        s.status = ContactStatus::Subscribed;
        s.platformStatus = u"in list"_s;
    } else {
        // Known but on no list: nothing says they agreed to marketing mail.
        s.status = ContactStatus::Transactional;
        s.platformStatus = u"no list"_s;
    }
    // Evidence a previous migration (or the account owner) kept in attributes of these names.
    s.consent.optinTime = time(s.fields.value(u"OPTIN_TIME"_s));
    s.consent.optinIp = s.fields.value(u"OPTIN_IP"_s);
    s.consent.confirmTime = time(s.fields.value(u"CONFIRM_TIME"_s));
    s.consent.confirmIp = s.fields.value(u"CONFIRM_IP"_s);
    return s;
}

TargetContactRecord BrevoJson::targetRecord(const QJsonObject &c, qint64 listId)
{
    TargetContactRecord r;
    r.email = c.value(u"email"_s).toString();
    r.fields = attributesText(c.value(u"attributes"_s).toObject());
    r.state.platform = TargetPlatform::Brevo;
    r.state.brevoEmailBlacklisted = c.value(u"emailBlacklisted"_s).toBool();
    r.state.brevoInMarketingList = holds(c.value(u"listIds"_s), listId);
    r.state.brevoUnsubscribedFromList = holds(c.value(u"listUnsubscribed"_s), listId);
    r.state.sourceStatusField = r.fields.value(u"SOURCE_STATUS"_s);
    return r;
}

QString BrevoJson::attributeType(FieldType type)
{
    switch (type) {
    case FieldType::Number:
        return u"float"_s;
    case FieldType::Date:
        return u"date"_s;
    case FieldType::Birthday: // no year: a date attribute would invent one
    case FieldType::Text:
    case FieldType::Phone:
    case FieldType::Url:
    case FieldType::Address:
    case FieldType::Tags:
        return u"text"_s;
    }
    return u"text"_s;
}

FieldType BrevoJson::fieldType(const QString &attributeType)
{
    if (attributeType == u"float" || attributeType == u"id")
        return FieldType::Number;
    if (attributeType == u"date")
        return FieldType::Date;
    if (attributeType == u"multiple-choice")
        return FieldType::Tags;
    return FieldType::Text;
}

QJsonValue BrevoJson::attributeValue(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QJsonValue(QJsonValue::Undefined);
    switch (value.metaType().id()) {
    case QMetaType::QDate:
        return value.toDate().toString(Qt::ISODate);
    // Date attributes hold a day (YYYY-MM-DD); the time of day is lost, in UTC.
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC().date().toString(Qt::ISODate);
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::LongLong:
        return value.toDouble();
    default:
        return value.toString();
    }
}
