#include "connectors/klaviyo/klaviyojson.h"

#include "core/isodate.h"

#include <QDate>
#include <QJsonDocument>
#include <QVarLengthArray>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// The property Stagecoach writes the source status into: ConsentMapping's evidence attribute of
// that name (ConsentMapping::evidenceFields(TargetPlatform::Klaviyo)).
const QString kSourceStatus = u"SOURCE_STATUS"_s;
// Klaviyo has no tags on profiles (esp-apis.md 3.3): source tags go into a list-valued property.
const QString kTagsProperty = u"tags"_s;

const QStringList kTextAttributes{u"first_name"_s,   u"last_name"_s, u"phone_number"_s,
                                  u"organization"_s, u"title"_s,     u"external_id"_s,
                                  u"locale"_s,       u"image"_s};
const QStringList kLocationParts{u"address1"_s,  u"address2"_s, u"city"_s,     u"country"_s,
                                 u"region"_s,    u"zip"_s,      u"timezone"_s, u"latitude"_s,
                                 u"longitude"_s, u"ip"_s};

using IsoDate::putDigits;

constexpr qsizetype kIsoTimeSize = 25; // yyyy-MM-ddTHH:mm:ss+00:00

/// KlaviyoJson::time() of `t` into 25 chars: the date, 'T', HH:mm:ss (QTime's ISO form drops
/// the milliseconds) and "+00:00" for the 'Z'; false for a time that has none of that form.
bool isoTime(char *at, const QDateTime &t)
{
    if (!t.isValid())
        return false;
    const QDateTime utc = t.toUTC();
    const QTime clock = utc.time();
    if (!clock.isValid() || !IsoDate::write(at, utc.date()))
        return false;
    at[10] = 'T';
    putDigits(at + 11, clock.hour(), 2);
    at[13] = ':';
    putDigits(at + 14, clock.minute(), 2);
    at[16] = ':';
    putDigits(at + 17, clock.second(), 2);
    std::memcpy(at + 19, "+00:00", 6);
    return true;
}

QJsonObject marketing(const QJsonObject &attributes)
{
    return attributes.value(u"subscriptions"_s)
        .toObject()
        .value(u"email"_s)
        .toObject()
        .value(u"marketing"_s)
        .toObject();
}

} // namespace

namespace KlaviyoJson {

QStringList standardAttributes()
{
    QStringList names = kTextAttributes;
    for (const QString &p : kLocationParts)
        names.append(u"location."_s + p);
    return names;
}

QString time(const QDateTime &t)
{
    char at[kIsoTimeSize];
    if (isoTime(at, t))
        return QString::fromLatin1(at, kIsoTimeSize);
    return t.toUTC().toString(Qt::ISODate).replace(u"Z"_s, u"+00:00"_s);
}

QDateTime parseTime(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

QJsonValue value(const QVariant &v)
{
    if (v.isNull() || !v.isValid())
        return QJsonValue(QJsonValue::Null);
    switch (v.typeId()) {
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Double:
        return v.toDouble();
    case QMetaType::QDate:
        return v.toDate().toString(Qt::ISODate);
    case QMetaType::QDateTime:
        return time(v.toDateTime());
    case QMetaType::QStringList:
        return QJsonArray::fromStringList(v.toStringList());
    default:
        return v.toString();
    }
}

QString text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &item : v.toArray())
            parts.append(text(item));
        return parts.join(u", "_s);
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

TargetState targetState(const QJsonObject &profile, const QString &listId)
{
    const QJsonObject a = profile.value(u"attributes"_s).toObject();
    const QJsonObject m = marketing(a);
    TargetState s;
    s.platform = TargetPlatform::Klaviyo;
    s.klaviyoConsent = m.value(u"consent"_s).toString();
    for (const QJsonValue &v : m.value(u"suppression"_s).toArray())
        s.klaviyoSuppressions.append(v.toObject().value(u"reason"_s).toString());
    for (const QJsonValue &v : m.value(u"list_suppressions"_s).toArray()) {
        if (!listId.isEmpty() && v.toObject().value(u"list_id"_s).toString() == listId)
            s.klaviyoListSuppressed = true;
    }
    s.sourceStatusField = text(a.value(u"properties"_s).toObject().value(kSourceStatus));
    return s;
}

QHash<QString, QString> fields(const QJsonObject &profile)
{
    const QJsonObject a = profile.value(u"attributes"_s).toObject();
    QHash<QString, QString> out;
    for (const QString &name : kTextAttributes) {
        const QString t = text(a.value(name));
        if (!t.isEmpty())
            out.insert(name, t);
    }
    const QJsonObject location = a.value(u"location"_s).toObject();
    for (const QString &part : kLocationParts) {
        const QString t = text(location.value(part));
        if (!t.isEmpty())
            out.insert(u"location."_s + part, t);
    }
    const QJsonObject properties = a.value(u"properties"_s).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        out.insert(it.key(), text(it.value()));
    return out;
}

SourceContact sourceContact(const QJsonObject &profile)
{
    const QJsonObject a = profile.value(u"attributes"_s).toObject();
    const QJsonObject m = marketing(a);
    SourceContact c;
    c.id = profile.value(u"id"_s).toString();
    c.email = a.value(u"email"_s).toString();
    // Klaviyo as the source: its own consent and suppressions decide, read the way the target
    // side reads them (ConsentMapping::statusOnTarget), without a SOURCE_STATUS refinement.
    TargetState state = targetState(profile, {});
    state.sourceStatusField.clear();
    c.status = m.isEmpty() ? ContactStatus::Unknown : ConsentMapping::statusOnTarget(state);
    QStringList words;
    if (!state.klaviyoConsent.isEmpty())
        words.append(state.klaviyoConsent);
    words.append(state.klaviyoSuppressions);
    c.platformStatus = words.join(u", "_s);
    c.fields = fields(profile);
    const QJsonArray tags = a.value(u"properties"_s).toObject().value(kTagsProperty).toArray();
    for (const QJsonValue &t : tags)
        c.tags.append(t.toString());
    if (state.klaviyoConsent == u"SUBSCRIBED")
        c.consent.optinTime = parseTime(m.value(u"consent_timestamp"_s));
    const QJsonArray suppression = m.value(u"suppression"_s).toArray();
    if (!suppression.isEmpty()) {
        const QJsonObject first = suppression.first().toObject();
        c.consent.suppressionReason = first.value(u"reason"_s).toString();
        c.consent.suppressionTime = parseTime(first.value(u"timestamp"_s));
    } else if (state.klaviyoConsent == u"UNSUBSCRIBED") {
        c.consent.suppressionTime = parseTime(m.value(u"consent_timestamp"_s));
    }
    c.language = a.value(u"locale"_s).toString();
    const QJsonObject location = a.value(u"location"_s).toObject();
    const QString country = location.value(u"country"_s).toString().trimmed();
    if (country.size() == 2) // Klaviyo keeps free text; only an ISO code is taken as one
        c.location.countryCode = country.toUpper();
    c.location.region = location.value(u"region"_s).toString();
    c.location.timezone = location.value(u"timezone"_s).toString();
    if (location.value(u"latitude"_s).isDouble())
        c.location.latitude = location.value(u"latitude"_s).toDouble();
    if (location.value(u"longitude"_s).isDouble())
        c.location.longitude = location.value(u"longitude"_s).toDouble();
    c.lastChanged = parseTime(a.value(u"updated"_s));
    return c;
}

QJsonObject importProfile(const TargetContact &contact)
{
    QJsonObject attributes{{u"email"_s, contact.email}};
    QJsonObject location;
    QJsonObject properties;
    for (auto it = contact.fields.begin(); it != contact.fields.end(); ++it) {
        if (it.value().isNull() || !it.value().isValid())
            continue; // a null leaves the target's value unchanged: omitted, never sent as null
        if (kTextAttributes.contains(it.key()))
            attributes.insert(it.key(), value(it.value()));
        else if (it.key().startsWith(u"location.") && kLocationParts.contains(it.key().mid(9)))
            location.insert(it.key().mid(9), value(it.value()));
        else if (it.key() != u"email")
            properties.insert(it.key(), value(it.value()));
    }
    if (!contact.language.trimmed().isEmpty())
        attributes.insert(u"locale"_s, contact.language.trimmed());
    if (!contact.tags.isEmpty())
        properties.insert(kTagsProperty, QJsonArray::fromStringList(contact.tags));
    for (const EvidenceValue &e : contact.write.attributes)
        properties.insert(e.name, value(e.value));
    if (!location.isEmpty())
        attributes.insert(u"location"_s, location);
    if (!properties.isEmpty())
        attributes.insert(u"properties"_s, properties);
    return QJsonObject{{u"type"_s, u"profile"_s}, {u"attributes"_s, attributes}};
}

namespace {

/// A value written by Qt: [value] as QJsonDocument writes it, without its brackets.
void appendByQt(QByteArray &out, const QJsonValue &v)
{
    const QByteArray one = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    out += QByteArrayView(one).sliced(1, one.size() - 2);
}

/// A string as QJsonDocument writes it: printable ASCII as it is, anything else (escapes,
/// other characters) by Qt itself, so that the bytes are the same.
void appendString(QByteArray &out, QStringView s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u > 0x7e || u == u'"' || u == u'\\') {
            appendByQt(out, QJsonValue(s.toString()));
            return;
        }
    }
    const qsizetype at = out.size();
    out.resize(at + s.size() + 2);
    char *d = out.data() + at;
    *d++ = '"';
    for (const QChar c : s)
        *d++ = char(c.unicode());
    *d = '"';
}

void appendQuoted(QByteArray &out, const char *text, qsizetype size)
{
    out += '"';
    out.append(text, size);
    out += '"';
}

/// A JSON value as QJsonDocument writes it: strings, bools and arrays directly, numbers by Qt.
void appendJson(QByteArray &out, const QJsonValue &v)
{
    if (v.isString()) {
        appendString(out, v.toString());
        return;
    } else if (v.isBool()) {
        out += v.toBool() ? "true" : "false";
        return;
    } else if (v.isArray()) {
        out += '[';
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += ',';
            appendJson(out, a.at(i));
        }
        out += ']';
        return;
    }
    appendByQt(out, v);
}

/// KlaviyoJson::value(v) as QJsonDocument writes it, without making the QJsonValue for text,
/// dates, times, bools and lists of text.
void appendValue(QByteArray &out, const QVariant &v)
{
    if (v.isNull() || !v.isValid()) {
        out += "null";
        return;
    }
    switch (v.typeId()) {
    case QMetaType::Bool:
        out += v.toBool() ? "true" : "false";
        return;
    case QMetaType::QString:
        appendString(out, *static_cast<const QString *>(v.constData()));
        return;
    case QMetaType::QDate: {
        char at[10];
        if (IsoDate::write(at, *static_cast<const QDate *>(v.constData()))) {
            appendQuoted(out, at, 10);
            return;
        }
        break;
    }
    case QMetaType::QDateTime: {
        char at[kIsoTimeSize];
        if (isoTime(at, *static_cast<const QDateTime *>(v.constData()))) {
            appendQuoted(out, at, kIsoTimeSize);
            return;
        }
        break;
    }
    case QMetaType::QStringList: {
        out += '[';
        bool first = true;
        for (const QString &item : *static_cast<const QStringList *>(v.constData())) {
            if (!std::exchange(first, false))
                out += ',';
            appendString(out, item);
        }
        out += ']';
        return;
    }
    default:
        break;
    }
    appendJson(out, KlaviyoJson::value(v));
}

/// An object being written: its members as they were set, each a value or an object.
struct Members
{
    struct Member
    {
        QString key;
        QVariant value;
        Members *object = nullptr; ///< written instead of `value` when set
    };
    QVarLengthArray<Member, 24> list;

    void set(const QString &key, const QVariant &value) { list.append(Member{key, value, nullptr}); }
    void set(const QString &key, Members *object) { list.append(Member{key, {}, object}); }
    bool empty() const { return list.isEmpty(); }
};

/// The members in the order QJsonObject keeps them (by key, UTF-16), the last of two equal keys
/// winning, as QJsonObject::insert does.
void appendObject(QByteArray &out, Members &members)
{
    auto &list = members.list;
    std::stable_sort(list.begin(), list.end(),
                     [](const Members::Member &a, const Members::Member &b) { return a.key < b.key; });
    out += '{';
    bool first = true;
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i + 1 < list.size() && list[i + 1].key == list[i].key)
            continue; // set again later
        if (!std::exchange(first, false))
            out += ',';
        appendString(out, list[i].key);
        out += ':';
        if (list[i].object)
            appendObject(out, *list[i].object);
        else
            appendValue(out, list[i].value);
    }
    out += '}';
}

} // namespace

QByteArray importProfileJson(const TargetContact &contact)
{
    // The same members, in the same order of setting, as importProfile().
    Members attributes;
    attributes.set(u"email"_s, QVariant(contact.email));
    Members location;
    Members properties;
    for (auto it = contact.fields.begin(); it != contact.fields.end(); ++it) {
        if (it.value().isNull() || !it.value().isValid())
            continue;
        if (kTextAttributes.contains(it.key()))
            attributes.set(it.key(), it.value());
        else if (it.key().startsWith(u"location.") && kLocationParts.contains(it.key().mid(9)))
            location.set(it.key().mid(9), it.value());
        else if (it.key() != u"email")
            properties.set(it.key(), it.value());
    }
    if (!contact.language.trimmed().isEmpty())
        attributes.set(u"locale"_s, QVariant(contact.language.trimmed()));
    if (!contact.tags.isEmpty())
        properties.set(kTagsProperty, QVariant(contact.tags));
    for (const EvidenceValue &e : contact.write.attributes)
        properties.set(e.name, e.value);
    if (!location.empty())
        attributes.set(u"location"_s, &location);
    if (!properties.empty())
        attributes.set(u"properties"_s, &properties);
    QByteArray out;
    out.reserve(512);
    out += R"({"attributes":)";
    appendObject(out, attributes);
    out += R"(,"type":"profile"})";
    return out;
}

QJsonObject bulkJob(const QString &type, const QJsonArray &profiles, const QJsonObject &attributes,
                    const QJsonObject &relationships)
{
    QJsonObject a = attributes;
    a.insert(u"profiles"_s, QJsonObject{{u"data"_s, profiles}});
    QJsonObject data{{u"type"_s, type}, {u"attributes"_s, a}};
    if (!relationships.isEmpty())
        data.insert(u"relationships"_s, relationships);
    return QJsonObject{{u"data"_s, data}};
}

QByteArray consentProfileJson(const QString &email, const QString &consent,
                              const QDateTime &consentedAt)
{
    // The members in the order QJsonObject keeps them: by key.
    QByteArray out;
    out.reserve(160);
    out += R"({"attributes":{"email":)";
    appendString(out, email);
    if (!consent.isEmpty()) {
        out += R"(,"subscriptions":{"email":{"marketing":{"consent":)";
        appendString(out, consent);
        if (consentedAt.isValid()) {
            out += R"(,"consented_at":)";
            appendValue(out, consentedAt);
        }
        out += "}}}";
    }
    out += R"(},"type":"profile"})";
    return out;
}

QByteArray bulkJobJson(const QString &type, const QByteArray &profiles,
                       const QJsonObject &attributes, const QJsonObject &relationships)
{
    // Qt writes the job around a list holding one marker, which the profiles replace: a text of
    // control characters no attribute or relationship holds (Qt writes it escaped, as below).
    static const QString kMarker = u"\u0001stagecoach profiles\u0001"_s;
    static constexpr QByteArrayView kWritten = R"(["\u0001stagecoach profiles\u0001"])";
    QByteArray out
        = QJsonDocument(bulkJob(type, QJsonArray{kMarker}, attributes, relationships))
              .toJson(QJsonDocument::Compact);
    const qsizetype at = out.indexOf(kWritten);
    if (at >= 0 && out.indexOf(kWritten, at + 1) < 0)
        return out.replace(at + 1, kWritten.size() - 2, profiles);
    // Not reached (nothing else holds the marker); the profiles are then read back and written
    // by Qt.
    const QJsonArray parsed = QJsonDocument::fromJson("[" + profiles + "]").array();
    return QJsonDocument(bulkJob(type, parsed, attributes, relationships)).toJson(QJsonDocument::Compact);
}

QJsonObject relationship(const QString &type, const QString &id)
{
    return QJsonObject{{u"data"_s, QJsonObject{{u"type"_s, type}, {u"id"_s, id}}}};
}

QString quoted(const QString &text)
{
    QString t = text;
    t.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    return u'"' + t + u'"';
}

QString anyEmail(const QStringList &emails)
{
    QStringList q;
    for (const QString &e : emails)
        q.append(quoted(e));
    return u"any(email,["_s + q.join(u',') + u"])"_s;
}

} // namespace KlaviyoJson
