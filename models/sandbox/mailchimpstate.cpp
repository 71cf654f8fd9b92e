// MailchimpSandbox: state, seeding and the JSON shapes of audiences and members.
#include "sandbox/mailchimpsandbox.h"

#include "sandbox/mailchimpsandbox_p.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

using MailchimpSandboxDetail::appendJson;

QString mailchimpTime(const QDateTime &t)
{
    return MailchimpSandboxDetail::time(t);
}

/// Appends "key": (keys here are plain ASCII).
void appendKey(QByteArray &out, const char *key)
{
    out += '"';
    out += key;
    out += "\":";
}

QString hexId(const QString &seed, int length)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Md5).toHex().left(length));
}

} // namespace

MailchimpSandbox::MailchimpSandbox(QString apiKey)
    : m_apiKey(std::move(apiKey))
    , m_dataCenter(m_apiKey.section(u'-', -1))
{}

QString MailchimpSandbox::subscriberHash(const QString &email)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(email.toLower().toUtf8(), QCryptographicHash::Md5).toHex());
}

const QStringList &MailchimpSandbox::writableStatuses()
{
    static const QStringList statuses{u"subscribed"_s, u"unsubscribed"_s, u"cleaned"_s,
                                      u"pending"_s, u"transactional"_s};
    return statuses;
}

QString MailchimpSandbox::addList(const QString &name)
{
    MailchimpList list;
    list.webId = int(m_lists.size()) + 100001;
    list.id = hexId(u"list-%1-%2"_s.arg(m_lists.size()).arg(name), 10);
    list.name = name;
    list.dateCreated = QDateTime(QDate(2019, 3, 14), QTime(9, 30), Qt::UTC);
    const auto field = [&list](const QString &tag, const QString &name, const QString &type,
                               const QJsonObject &options) {
        const int n = int(list.mergeFields.size()) + 1;
        list.mergeFields.append({n, tag, name, type, false, QString(), true, n, options});
    };
    field(u"FNAME"_s, u"First Name"_s, u"text"_s, {{u"size"_s, 25}});
    field(u"LNAME"_s, u"Last Name"_s, u"text"_s, {{u"size"_s, 25}});
    field(u"BIRTHDAY"_s, u"Birthday"_s, u"birthday"_s, {{u"date_format"_s, u"MM/DD"_s}});
    field(u"PHONE"_s, u"Phone Number"_s, u"phone"_s, {{u"phone_format"_s, u"none"_s}});
    m_lists.append(list);
    return list.id;
}

QString MailchimpSandbox::seedEmpty()
{
    return addList(u"Northwind newsletter"_s);
}

QString MailchimpSandbox::seedDemo(int count)
{
    static const QStringList first{u"Ada"_s,     u"Grace"_s,  u"Alan"_s,   u"Edsger"_s,
                                   u"Barbara"_s, u"Donald"_s, u"Frances"_s};
    static const QStringList last{u"Lovelace"_s, u"Hopper"_s, u"Turing"_s, u"Dijkstra"_s,
                                  u"Liskov"_s,   u"Knuth"_s,  u"Allen"_s};
    static const QStringList statuses{u"subscribed"_s, u"unsubscribed"_s,  u"cleaned"_s,
                                      u"pending"_s,    u"transactional"_s, u"archived"_s};
    const QString id = seedEmpty();
    const QDateTime base(QDate(2021, 1, 4), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < count; ++i) {
        MailchimpMember m;
        const QString f = first.at(i % first.size());
        const QString l = last.at((i / first.size()) % last.size());
        m.email = u"%1.%2.%3@example.com"_s.arg(f.toLower(), l.toLower()).arg(i + 1);
        m.status = statuses.at(i % statuses.size());
        m.mergeFields
            = {{u"FNAME"_s, f},
               {u"LNAME"_s, l},
               {u"BIRTHDAY"_s, i % 4 == 0 ? QString()
                                          : u"%1/%2"_s.arg(i % 12 + 1, 2, 10, QChar(u'0'))
                                                .arg(i % 28 + 1, 2, 10, QChar(u'0'))},
               {u"PHONE"_s,
                i % 3 == 0 ? QString() : u"+44 20 7946 %1"_s.arg(i % 1000, 4, 10, QChar(u'0'))}};
        if (i % 2 == 0)
            m.tags.append(u"Newsletter"_s);
        if (i % 5 == 0)
            m.tags.append(u"VIP"_s);
        // Documentation address ranges (RFC 5737), never real subscribers' IPs.
        m.timestampSignup = base.addSecs(qint64(i) * 3600);
        m.ipSignup = u"192.0.2.%1"_s.arg(i % 254 + 1);
        if (m.status != u"pending" && m.status != u"transactional") {
            m.timestampOpt = m.timestampSignup.addSecs(600);
            m.ipOpt = u"198.51.100.%1"_s.arg(i % 254 + 1);
        }
        m.lastChanged = base.addDays(30).addSecs(qint64(i) * 60);
        m.memberRating = i % 5 + 1;
        m.language = i % 7 == 0 ? u"fr"_s : u"en"_s;
        m.vip = i % 5 == 0;
        putMember(id, std::move(m));
    }
    seedAccount(id, count);
    return id;
}

void MailchimpSandbox::putMember(const QString &listId, MailchimpMember member)
{
    MailchimpList *list = findList(listId);
    if (!list)
        return;
    const QString hash = subscriberHash(member.email);
    storeMember(*list, std::move(member), hash);
}

void MailchimpSandbox::storeMember(MailchimpList &list, MailchimpMember &&member,
                                   const QString &hash)
{
    for (const QString &tag : std::as_const(member.tags)) {
        if (!list.tagIds.contains(tag))
            list.tagIds.insert(tag, int(list.tagIds.size()) + 1);
    }
    // One look-up: operator[] adds the hash when the member is new.
    const qsizetype known = list.memberIndex.size();
    qsizetype &position = list.memberIndex[hash];
    if (list.memberIndex.size() == known) {
        list.members[position] = std::move(member);
        return;
    }
    position = list.members.size();
    list.members.append(std::move(member));
}

QStringList MailchimpSandbox::listIds() const
{
    QStringList ids;
    for (const MailchimpList &l : m_lists)
        ids.append(l.id);
    return ids;
}

const MailchimpList *MailchimpSandbox::list(const QString &listId) const
{
    for (const MailchimpList &l : m_lists) {
        if (l.id == listId)
            return &l;
    }
    return nullptr;
}

MailchimpList *MailchimpSandbox::findList(const QString &listId)
{
    for (MailchimpList &l : m_lists) {
        if (l.id == listId)
            return &l;
    }
    return nullptr;
}

QJsonObject MailchimpSandbox::memberJson(const MailchimpList &list, const MailchimpMember &m) const
{
    QJsonArray tags;
    for (const QString &tag : m.tags)
        tags.append(QJsonObject{{u"id"_s, list.tagIds.value(tag)}, {u"name"_s, tag}});
    const QString hash = subscriberHash(m.email);
    return {{u"id"_s, hash},
            {u"email_address"_s, m.email},
            {u"unique_email_id"_s, hexId(list.id + hash, 10)},
            {u"email_type"_s, m.emailType},
            {u"status"_s, m.status},
            {u"merge_fields"_s, m.mergeFields},
            {u"ip_signup"_s, m.ipSignup},
            {u"timestamp_signup"_s, mailchimpTime(m.timestampSignup)},
            {u"ip_opt"_s, m.ipOpt},
            {u"timestamp_opt"_s, mailchimpTime(m.timestampOpt)},
            {u"member_rating"_s, m.memberRating},
            {u"last_changed"_s, mailchimpTime(m.lastChanged)},
            {u"language"_s, m.language},
            {u"vip"_s, m.vip},
            {u"tags_count"_s, int(m.tags.size())},
            {u"tags"_s, tags},
            {u"list_id"_s, list.id}};
}

void MailchimpSandbox::appendMemberDocument(QByteArray &out, const MailchimpList &list,
                                            const MailchimpMember &m, const QString &hash) const
{
    // memberJson()'s keys in the order QJsonObject keeps them (sorted); tst_MailchimpSandbox
    // compares the two for tricky members.
    out += '{';
    appendKey(out, "email_address");
    appendJson(out, m.email);
    out += ',';
    appendKey(out, "email_type");
    appendJson(out, m.emailType);
    out += ',';
    appendKey(out, "id");
    appendJson(out, hash);
    out += ',';
    appendKey(out, "ip_opt");
    appendJson(out, m.ipOpt);
    out += ',';
    appendKey(out, "ip_signup");
    appendJson(out, m.ipSignup);
    out += ',';
    appendKey(out, "language");
    appendJson(out, m.language);
    out += ',';
    appendKey(out, "last_changed");
    appendJson(out, mailchimpTime(m.lastChanged));
    out += ',';
    appendKey(out, "list_id");
    appendJson(out, list.id);
    out += ',';
    appendKey(out, "member_rating");
    out += QByteArray::number(m.memberRating);
    out += ',';
    appendKey(out, "merge_fields");
    appendJson(out, QJsonValue(m.mergeFields));
    out += ',';
    appendKey(out, "status");
    appendJson(out, m.status);
    out += ',';
    appendKey(out, "tags");
    out += '[';
    for (qsizetype i = 0; i < m.tags.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"id\":";
        out += QByteArray::number(list.tagIds.value(m.tags.at(i)));
        out += ",\"name\":";
        appendJson(out, m.tags.at(i));
        out += '}';
    }
    out += "],";
    appendKey(out, "tags_count");
    out += QByteArray::number(int(m.tags.size()));
    out += ',';
    appendKey(out, "timestamp_opt");
    appendJson(out, mailchimpTime(m.timestampOpt));
    out += ',';
    appendKey(out, "timestamp_signup");
    appendJson(out, mailchimpTime(m.timestampSignup));
    out += ',';
    appendKey(out, "unique_email_id");
    appendJson(out, hexId(list.id + hash, 10));
    out += ',';
    appendKey(out, "vip");
    out += m.vip ? "true" : "false";
    out += '}';
}

QJsonObject MailchimpSandbox::listJson(const MailchimpList &list) const
{
    int subscribed = 0, unsubscribed = 0, cleaned = 0;
    for (const MailchimpMember &m : list.members) {
        subscribed += m.status == u"subscribed";
        unsubscribed += m.status == u"unsubscribed";
        cleaned += m.status == u"cleaned";
    }
    const QJsonObject stats{{u"member_count"_s, subscribed},
                            {u"unsubscribe_count"_s, unsubscribed},
                            {u"cleaned_count"_s, cleaned},
                            {u"total_contacts"_s, int(list.members.size())},
                            {u"merge_field_count"_s, int(list.mergeFields.size())}};
    return {{u"id"_s, list.id},          {u"web_id"_s, list.webId},
            {u"name"_s, list.name},      {u"date_created"_s, mailchimpTime(list.dateCreated)},
            {u"list_rating"_s, 0},       {u"email_type_option"_s, false},
            {u"double_optin"_s, false},  {u"marketing_permissions"_s, false},
            {u"visibility"_s, u"prv"_s}, {u"stats"_s, stats}};
}

SandboxResponse MailchimpSandbox::problem(int status, const QString &title,
                                          const QString &detail) const
{
    const QJsonObject body{{u"type"_s, u"https://mailchimp.com/developer/marketing/docs/errors/"_s},
                           {u"title"_s, title},
                           {u"status"_s, status},
                           {u"detail"_s, detail},
                           {u"instance"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}};
    SandboxResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/problem+json; charset=utf-8");
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

SandboxResponse MailchimpSandbox::tooManyRequests() const
{
    return problem(429, u"Too Many Requests"_s,
                   u"You have exceeded the limit of 10 simultaneous connections."_s);
}

namespace MailchimpSandboxDetail {

QString time(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    const QDateTime utc = t.toUTC();
    int year = 0, month = 0, day = 0;
    utc.date().getDate(&year, &month, &day);
    if (year < 1000 || year > 9999) // Qt's own formatting of the rare years
        return utc.toString(u"yyyy-MM-ddTHH:mm:ss'+00:00'"_s);
    const QTime clock = utc.time();
    char text[26];
    const auto two = [&text](int at, int value) {
        text[at] = char('0' + value / 10);
        text[at + 1] = char('0' + value % 10);
    };
    two(0, year / 100);
    two(2, year % 100);
    text[4] = '-';
    two(5, month);
    text[7] = '-';
    two(8, day);
    text[10] = 'T';
    two(11, clock.hour());
    text[13] = ':';
    two(14, clock.minute());
    text[16] = ':';
    two(17, clock.second());
    std::memcpy(text + 19, "+00:00", 6);
    return QString::fromLatin1(text, 25);
}

void appendJson(QByteArray &out, const QString &s)
{
    // Printable ASCII other than the quote and the backslash is written as it is; anything else
    // (escapes, UTF-8, lone surrogates) by QJsonDocument itself.
    const char16_t *text = reinterpret_cast<const char16_t *>(s.constData());
    const qsizetype size = s.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t u = text[i];
        if (u < 0x20 || u > 0x7e || u == u'"' || u == u'\\') {
            const QByteArray one = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
            out.append(one.constData() + 1, one.size() - 2); // without [ and ]
            return;
        }
    }
    const qsizetype at = out.size();
    out.resize(at + size + 2);
    char *to = out.data() + at;
    *to++ = '"';
    for (qsizetype i = 0; i < size; ++i)
        *to++ = char(text[i]);
    *to = '"';
}

void appendJson(QByteArray &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        appendJson(out, v.toString());
        return;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        return;
    case QJsonValue::Null:
        out += "null";
        return;
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        out += '{';
        for (auto it = o.begin(); it != o.end(); ++it) { // the order toJson() writes
            if (it != o.begin())
                out += ',';
            appendJson(out, it.key());
            out += ':';
            appendJson(out, it.value());
        }
        out += '}';
        return;
    }
    default: { // numbers and arrays: as QJsonDocument writes them
        const QByteArray one = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        out.append(one.constData() + 1, one.size() - 2);
        return;
    }
    }
}

} // namespace MailchimpSandboxDetail
