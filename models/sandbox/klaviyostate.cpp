// KlaviyoSandbox: state, JSON:API documents and error bodies.
#include "sandbox/klaviyosandbox.h"

#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid()
               ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs).replace(u"Z"_s, u"+00:00"_s))
               : QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

KlaviyoSandbox::KlaviyoSandbox(QString apiKey)
    : m_apiKey(std::move(apiKey))
{}

QString KlaviyoSandbox::newId(int length)
{
    // Upper-case base-36 of a counter, zero-padded: ids sort in creation order (as Klaviyo's
    // ULID-like profile ids do), which keeps cursor paging stable.
    // (What QString::number(n, 36).toUpper().rightJustified(length, u'0') gives, in one string.)
    quint64 n = ++m_idCounter;
    char digits[16];
    int count = 0;
    do {
        const int d = int(n % 36);
        digits[count++] = char(d < 10 ? '0' + d : 'A' + d - 10);
        n /= 36;
    } while (n != 0);
    QString id(std::max(length, count), u'0');
    QChar *end = id.data() + id.size();
    for (int i = 0; i < count; ++i)
        *--end = QLatin1Char(digits[i]);
    return id;
}

QString KlaviyoSandbox::seedEmpty()
{
    return addList(u"Newsletter"_s);
}

QString KlaviyoSandbox::addList(const QString &name, const QString &optInProcess)
{
    KlaviyoList list;
    list.id = newId(6);
    list.name = name;
    list.optInProcess = optInProcess;
    list.created = list.updated = QDateTime::currentDateTimeUtc();
    m_lists.append(list);
    return list.id;
}

QString KlaviyoSandbox::putProfile(KlaviyoProfile profile)
{
    const QString lowerEmail = profile.email.toLower();
    return m_profiles.at(storeProfile(std::move(profile), lowerEmail)).id;
}

qsizetype KlaviyoSandbox::storeProfile(KlaviyoProfile &&profile, const QString &lowerEmail)
{
    if (profile.id.isEmpty())
        profile.id = newId(26);
    if (!profile.created.isValid())
        profile.created = QDateTime::currentDateTimeUtc();
    if (!profile.updated.isValid())
        profile.updated = profile.created;
    // One look-up for both cases: operator[] adds the id when it is new.
    const qsizetype known = m_profileIndex.size();
    qsizetype &position = m_profileIndex[profile.id];
    if (m_profileIndex.size() == known) {
        const qsizetype at = position;
        KlaviyoProfile &stored = m_profiles[at];
        // The same address already indexed here (the usual update) keeps its entry; otherwise the
        // old address's entry goes and the new one points here.
        const bool indexed
            = stored.email == profile.email
              && (profile.email.isEmpty() || m_emailIndex.value(lowerEmail, -1) == at);
        if (!indexed)
            m_emailIndex.remove(stored.email.toLower());
        stored = std::move(profile);
        if (!indexed && !stored.email.isEmpty())
            m_emailIndex.insert(lowerEmail, at);
        return at;
    }
    m_profilesInIdOrder
        = m_profilesInIdOrder && (m_profiles.empty() || m_profiles.back().id < profile.id);
    const auto at = qsizetype(m_profiles.size());
    position = at;
    if (!profile.email.isEmpty())
        m_emailIndex.insert(lowerEmail, at);
    m_profiles.push_back(std::move(profile));
    return at;
}

const KlaviyoProfile *KlaviyoSandbox::profileByEmail(const QString &email) const
{
    const auto it = m_emailIndex.constFind(email.toLower());
    return it == m_emailIndex.cend() ? nullptr : &m_profiles.at(*it);
}

KlaviyoProfile *KlaviyoSandbox::findProfile(const QString &id)
{
    const auto it = m_profileIndex.constFind(id);
    return it == m_profileIndex.cend() ? nullptr : &m_profiles[*it];
}

KlaviyoProfile *KlaviyoSandbox::findByEmail(const QString &email)
{
    const auto it = m_emailIndex.constFind(email.toLower());
    return it == m_emailIndex.cend() ? nullptr : &m_profiles[*it];
}

KlaviyoProfile &KlaviyoSandbox::profileFor(const QString &email)
{
    const QString lowerEmail = email.toLower();
    if (const auto it = m_emailIndex.constFind(lowerEmail); it != m_emailIndex.cend())
        return m_profiles[*it];
    KlaviyoProfile profile;
    profile.email = email;
    return m_profiles[storeProfile(std::move(profile), lowerEmail)];
}

const KlaviyoList *KlaviyoSandbox::list(const QString &id) const
{
    for (const KlaviyoList &l : m_lists) {
        if (l.id == id)
            return &l;
    }
    return nullptr;
}

KlaviyoList *KlaviyoSandbox::findList(const QString &id)
{
    for (KlaviyoList &l : m_lists) {
        if (l.id == id)
            return &l;
    }
    return nullptr;
}

QStringList KlaviyoSandbox::listIds() const
{
    QStringList ids;
    for (const KlaviyoList &l : m_lists)
        ids.append(l.id);
    return ids;
}

void KlaviyoSandbox::addToList(const QString &listId, const QString &profileId)
{
    if (KlaviyoList *l = findList(listId))
        addToList(*l, profileId);
}

void KlaviyoSandbox::addToList(KlaviyoList &l, const QString &profileId)
{
    // One hash look-up: operator[] adds the entry when the profile is not a member yet.
    const qsizetype members = l.joinedAt.size();
    QDateTime &joined = l.joinedAt[profileId];
    if (l.joinedAt.size() != members) {
        l.profileIds.append(profileId);
        joined = QDateTime::currentDateTimeUtc();
        l.updated = QDateTime::currentDateTimeUtc();
    }
}

QString KlaviyoSandbox::selfUrl(const QString &path) const
{
    return u"https://a.klaviyo.com/api/"_s + path;
}

QJsonObject KlaviyoSandbox::profileJson(const KlaviyoProfile &p, bool withSubscriptions) const
{
    QJsonObject attributes{
        {u"email"_s, stringOrNull(p.email)},
        {u"phone_number"_s, stringOrNull(p.phoneNumber)},
        {u"external_id"_s, QJsonValue::Null},
        {u"first_name"_s, stringOrNull(p.firstName)},
        {u"last_name"_s, stringOrNull(p.lastName)},
        {u"organization"_s, stringOrNull(p.organization)},
        {u"locale"_s, stringOrNull(p.locale)},
        {u"title"_s, QJsonValue::Null},
        {u"image"_s, QJsonValue::Null},
        {u"created"_s, timeOrNull(p.created)},
        {u"updated"_s, timeOrNull(p.updated)},
        {u"last_event_date"_s, QJsonValue::Null},
        {u"location"_s, p.location},
        {u"properties"_s, p.properties},
    };
    if (withSubscriptions) {
        QJsonArray suppression;
        for (const KlaviyoSuppression &s : p.suppression)
            suppression.append(
                QJsonObject{{u"reason"_s, s.reason}, {u"timestamp"_s, timeOrNull(s.timestamp)}});
        const QJsonObject marketing{
            {u"can_receive_email_marketing"_s, p.canReceiveEmailMarketing()},
            {u"consent"_s, p.consent},
            {u"consent_timestamp"_s, timeOrNull(p.consentTimestamp)},
            {u"last_updated"_s, timeOrNull(p.consentUpdated)},
            {u"method"_s, stringOrNull(p.method)},
            {u"method_detail"_s, p.methodDetail},
            {u"custom_method_detail"_s, stringOrNull(p.methodDetail)},
            {u"double_optin"_s, p.doubleOptIn},
            {u"suppression"_s, suppression},
            {u"list_suppressions"_s, QJsonArray()},
        };
        attributes.insert(u"subscriptions"_s,
                          QJsonObject{{u"email"_s, QJsonObject{{u"marketing"_s, marketing}}}});
    }
    return QJsonObject{
        {u"type"_s, u"profile"_s},
        {u"id"_s, p.id},
        {u"attributes"_s, attributes},
        {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"profiles/%1/"_s.arg(p.id))}}}};
}

QJsonObject KlaviyoSandbox::listJson(const KlaviyoList &l) const
{
    return QJsonObject{{u"type"_s, u"list"_s},
                       {u"id"_s, l.id},
                       {u"attributes"_s, QJsonObject{{u"name"_s, l.name},
                                                     {u"created"_s, timeOrNull(l.created)},
                                                     {u"updated"_s, timeOrNull(l.updated)},
                                                     {u"opt_in_process"_s, l.optInProcess}}},
                       {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"lists/%1/"_s.arg(l.id))}}}};
}

SandboxResponse KlaviyoSandbox::jobResponse(const KlaviyoJob &job, int status) const
{
    const bool pending = job.pendingPolls > 0;
    QJsonObject attributes{
        {u"status"_s, pending ? (status == 202 ? u"queued"_s : u"processing"_s) : u"complete"_s},
        {u"created_at"_s, timeOrNull(job.createdAt)},
        {u"total_count"_s, job.total},
        {u"completed_count"_s, pending ? 0 : job.completed},
        {u"completed_at"_s, pending ? QJsonValue(QJsonValue::Null) : timeOrNull(job.completedAt)}};
    if (job.type == u"profile-bulk-import-job") {
        attributes.insert(u"failed_count"_s, pending ? 0 : job.failed);
        attributes.insert(u"expires_at"_s, timeOrNull(job.createdAt.addDays(7)));
        attributes.insert(u"started_at"_s, timeOrNull(job.createdAt));
    } else {
        attributes.insert(u"skipped_count"_s, job.failed);
    }
    const QString path = job.type + u"s/"_s + job.id + u'/';
    const QJsonObject data{{u"type"_s, job.type},
                           {u"id"_s, job.id},
                           {u"attributes"_s, attributes},
                           {u"links"_s, QJsonObject{{u"self"_s, selfUrl(path)}}}};
    SandboxResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/vnd.api+json");
    r.body = QJsonDocument(QJsonObject{{u"data"_s, data},
                                       {u"links"_s, QJsonObject{{u"self"_s, selfUrl(path)}}}})
                 .toJson(QJsonDocument::Compact);
    return r;
}

SandboxResponse KlaviyoSandbox::error(int status, const QString &code, const QString &title,
                                      const QString &detail, const QJsonObject &source,
                                      const QJsonObject &meta) const
{
    QJsonObject e{{u"id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                  {u"status"_s, status},
                  {u"code"_s, code},
                  {u"title"_s, title},
                  {u"detail"_s, detail},
                  {u"source"_s, source}};
    if (!meta.isEmpty())
        e.insert(u"meta"_s, meta);
    SandboxResponse r;
    r.status = status;
    r.contentType = QByteArrayLiteral("application/vnd.api+json");
    r.body
        = QJsonDocument(QJsonObject{{u"errors"_s, QJsonArray{e}}}).toJson(QJsonDocument::Compact);
    return r;
}

SandboxResponse KlaviyoSandbox::problem(int status, const QString &title,
                                        const QString &detail) const
{
    const QString code = status == 429 ? u"throttled"_s : status >= 500 ? u"error"_s : u"invalid"_s;
    return error(status, code, title, detail);
}

SandboxResponse KlaviyoSandbox::tooManyRequests() const
{
    // The server adds Retry-After to the 429s it injects.
    SandboxResponse r = error(429, u"throttled"_s, u"Request was throttled."_s,
                              u"Request was throttled. Expected available in 1 second."_s);
    return r;
}
