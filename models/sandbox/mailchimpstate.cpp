// MailchimpSandbox: state, seeding and the JSON shapes of audiences and members.
#include "sandbox/mailchimpsandbox.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

QString mailchimpTime(const QDateTime &t)
{
    // Mailchimp writes "2015-10-21T15:41:36+00:00"; unknown times are empty strings.
    return t.isValid() ? t.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss'+00:00'"_s) : QString();
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
    for (const QString &tag : std::as_const(member.tags)) {
        if (!list->tagIds.contains(tag))
            list->tagIds.insert(tag, int(list->tagIds.size()) + 1);
    }
    const QString hash = subscriberHash(member.email);
    if (const auto it = list->memberIndex.constFind(hash); it != list->memberIndex.cend()) {
        list->members[*it] = std::move(member);
        return;
    }
    list->memberIndex.insert(hash, list->members.size());
    list->members.append(std::move(member));
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
