// KlaviyoSandbox: single lists with their profile count, import errors, the account's tags,
// segments, templates, campaigns and flows, and the optional per-operation rate windows.
#include "sandbox/klaviyosandbox.h"

#include <QJsonDocument>
#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;
using KlaviyoFilter::queryValue;

namespace {

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate).replace(u"Z"_s, u"+00:00"_s))
                       : QJsonValue(QJsonValue::Null);
}

SandboxResponse document(const QJsonObject &body, int status = 200)
{
    return SandboxResponse::fromJson(body, status, QByteArrayLiteral("application/vnd.api+json"));
}

QString cursorFor(qsizetype index)
{
    return QString::number(index);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

struct Limit
{
    const char *operation;
    int burst;
    int steady;
};

// x-klaviyo-ratelimit of each operation the sandbox serves (specs/klaviyo/stable.json); get_list
// with additional-fields[list]=profile_count has its own limit in the operation's description.
constexpr Limit kLimits[] = {
    {"get_accounts", 1, 15},
    {"get_profiles", 75, 750},
    {"create_profile", 75, 750},
    {"get_profile", 75, 750},
    {"update_profile", 75, 750},
    {"get_lists", 75, 750},
    {"create_list", 10, 150},
    {"get_list", 75, 750},
    {"get_list:profile_count", 1, 15},
    {"get_profiles_for_list", 75, 750},
    {"bulk_import_profiles", 10, 150},
    {"get_bulk_import_profiles_job", 10, 150},
    {"get_errors_for_bulk_import_profiles_job", 10, 150},
    {"bulk_subscribe_profiles", 75, 750},
    {"bulk_unsubscribe_profiles", 75, 750},
    {"bulk_suppress_profiles", 75, 750},
    {"get_bulk_suppress_profiles_job", 75, 750},
    {"get_tags", 3, 60},
    {"get_segments", 75, 750},
    {"get_templates", 75, 750},
    {"create_template", 75, 750},
    {"get_template", 75, 750},
    {"get_campaigns", 10, 150},
    {"get_flows", 3, 60},
};

} // namespace

QString KlaviyoSandbox::operationId(const QByteArray &method, const QString &path)
{
    if (!path.startsWith(u"/api/"))
        return {};
    const QStringList p = path.mid(5).split(u'/', Qt::SkipEmptyParts);
    if (p.isEmpty())
        return {};
    const bool get = method == "GET";
    const bool post = method == "POST";
    const QString &c = p.first();
    if (p.size() == 1) {
        static const QHash<QString, QPair<QString, QString>> ops{
            {u"accounts"_s, {u"get_accounts"_s, {}}},
            {u"profiles"_s, {u"get_profiles"_s, u"create_profile"_s}},
            {u"lists"_s, {u"get_lists"_s, u"create_list"_s}},
            {u"profile-bulk-import-jobs"_s, {{}, u"bulk_import_profiles"_s}},
            {u"profile-subscription-bulk-create-jobs"_s, {{}, u"bulk_subscribe_profiles"_s}},
            {u"profile-subscription-bulk-delete-jobs"_s, {{}, u"bulk_unsubscribe_profiles"_s}},
            {u"profile-suppression-bulk-create-jobs"_s, {{}, u"bulk_suppress_profiles"_s}},
            {u"tags"_s, {u"get_tags"_s, {}}},
            {u"segments"_s, {u"get_segments"_s, {}}},
            {u"templates"_s, {u"get_templates"_s, u"create_template"_s}},
            {u"campaigns"_s, {u"get_campaigns"_s, {}}},
            {u"flows"_s, {u"get_flows"_s, {}}},
        };
        const auto it = ops.constFind(c);
        if (it == ops.cend())
            return {};
        return get ? it->first : post ? it->second : QString();
    }
    if (p.size() == 2) {
        if (c == u"profiles")
            return get ? u"get_profile"_s : method == "PATCH" ? u"update_profile"_s : QString();
        if (c == u"lists" && get)
            return u"get_list"_s;
        if (c == u"profile-bulk-import-jobs" && get)
            return u"get_bulk_import_profiles_job"_s;
        if (c == u"profile-suppression-bulk-create-jobs" && get)
            return u"get_bulk_suppress_profiles_job"_s;
        if (c == u"templates" && get)
            return u"get_template"_s;
        return {};
    }
    if (p.size() == 3 && get && c == u"lists" && p.at(2) == u"profiles")
        return u"get_profiles_for_list"_s;
    if (p.size() == 3 && get && c == u"profile-bulk-import-jobs" && p.at(2) == u"import-errors")
        return u"get_errors_for_bulk_import_profiles_job"_s;
    return {};
}

void KlaviyoSandbox::setRateLimit(const QString &operationId, int burstPerSecond,
                                  int steadyPerMinute)
{
    RateWindowState &s = m_rates[operationId];
    s.burst = burstPerSecond;
    s.steady = steadyPerMinute;
}

std::optional<SandboxResponse>
KlaviyoSandbox::rateLimit(const SandboxRequest &request,
                          QList<QPair<QByteArray, QByteArray>> &headers)
{
    QString op = operationId(request.method, request.path);
    if (op == u"get_list"
        && queryValue(request.query, u"additional-fields[list]"_s)
               .value_or(QString())
               .contains(u"profile_count"_s))
        op = u"get_list:profile_count"_s;
    ++m_operationCounts[op];
    if (!request.body.isEmpty())
        m_lastBodies.insert(op, request.body);
    if (!m_enforceRateLimits || op.isEmpty())
        return std::nullopt;
    if (!m_rates.contains(op)) {
        for (const Limit &l : kLimits) {
            if (op == QLatin1String(l.operation))
                setRateLimit(op, l.burst, l.steady);
        }
    }
    if (!m_rates.contains(op))
        return std::nullopt;
    RateWindowState &s = m_rates[op];
    const qint64 now = nowMs();
    if (s.secondStart < 0 || now - s.secondStart >= 1000) {
        s.secondStart = now;
        s.secondCount = 0;
    }
    if (s.minuteStart < 0 || now - s.minuteStart >= 60000) {
        s.minuteStart = now;
        s.minuteCount = 0;
    }
    // Fixed windows (esp-apis.md 3.1): a spent window refuses until it ends. Klaviyo sends no
    // RateLimit-* headers on a 429, only Retry-After.
    qint64 waitMs = 0;
    if (s.burst > 0 && s.secondCount >= s.burst)
        waitMs = 1000 - (now - s.secondStart);
    if (s.steady > 0 && s.minuteCount >= s.steady)
        waitMs = std::max(waitMs, 60000 - (now - s.minuteStart));
    if (waitMs > 0) {
        SandboxResponse r
            = error(429, u"throttled"_s, u"Request was throttled."_s,
                    u"Request was throttled. Expected available in %1 second(s)."_s.arg(
                        std::max<qint64>(1, (waitMs + 999) / 1000)));
        r.headers.append({QByteArrayLiteral("Retry-After"),
                          QByteArray::number(std::max<qint64>(1, (waitMs + 999) / 1000))});
        return r;
    }
    ++s.secondCount;
    ++s.minuteCount;
    headers.append({QByteArrayLiteral("RateLimit-Limit"), QByteArray::number(s.steady)});
    headers.append({QByteArrayLiteral("RateLimit-Remaining"),
                    QByteArray::number(std::max(0, s.steady - s.minuteCount))});
    headers.append({QByteArrayLiteral("RateLimit-Reset"),
                    QByteArray::number((60000 - (now - s.minuteStart) + 999) / 1000)});
    return std::nullopt;
}

SandboxResponse KlaviyoSandbox::getList(const SandboxRequest &request, const KlaviyoList &l) const
{
    QJsonObject data = listJson(l);
    if (queryValue(request.query, u"additional-fields[list]"_s)
            .value_or(QString())
            .split(u',')
            .contains(u"profile_count"_s)) {
        QJsonObject a = data.value(u"attributes"_s).toObject();
        a.insert(u"profile_count"_s, int(l.profileIds.size()));
        data.insert(u"attributes"_s, a);
    }
    return document({{u"data"_s, data},
                     {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"lists/%1/"_s.arg(l.id))}}}});
}

SandboxResponse KlaviyoSandbox::importErrors(const SandboxRequest &request,
                                             const KlaviyoJob &job) const
{
    QList<KlaviyoResource> items;
    for (const QJsonValue &e : job.errors) {
        const QJsonObject o = e.toObject();
        items.append({o.value(u"id"_s).toString(), o.value(u"attributes"_s).toObject()});
    }
    return listResources(request, u"import-error"_s, items, 100, 20);
}

SandboxResponse KlaviyoSandbox::listResources(const SandboxRequest &request, const QString &type,
                                              const QList<KlaviyoResource> &all, int maxPage,
                                              int defaultPage) const
{
    const QUrlQuery &q = request.query;
    int size = defaultPage;
    if (queryValue(q, u"page[size]"_s).has_value()) {
        bool ok = false;
        size = queryValue(q, u"page[size]"_s).value_or(QString()).toInt(&ok);
        if (!ok || size < 1 || size > maxPage)
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"Page size must be an integer from 1 to %1."_s.arg(maxPage),
                         QJsonObject{{u"parameter"_s, u"page[size]"_s}});
    }
    // Filters on name (equals, any) for every listing; campaigns need their channel filter.
    QList<KlaviyoResource> items = all;
    if (const auto f = queryValue(q, u"filter"_s)) {
        const auto e = KlaviyoFilter::parse(*f);
        const bool byName = e && e->field == u"name" && (e->op == u"equals" || e->op == u"any");
        const bool byChannel = e && type == u"campaign" && e->field == u"messages.channel"
                               && e->op == u"equals" && e->values.size() == 1;
        if (!byName && !byChannel)
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"The sandbox does not support this filter here."_s,
                         QJsonObject{{u"parameter"_s, u"filter"_s}});
        items.removeIf([&](const KlaviyoResource &r) {
            if (byName)
                return !e->values.contains(r.attributes.value(u"name"_s).toString());
            return r.attributes.value(u"sandbox_channel"_s).toString() != e->values.first();
        });
    } else if (type == u"campaign") {
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"A channel filter is required to list campaigns. Please try adding "
                     "?filter=equals(messages.channel,'email') to your request."_s,
                     QJsonObject{{u"parameter"_s, u"filter"_s}});
    }
    qsizetype start = 0;
    if (const auto c = queryValue(q, u"page[cursor]"_s)) {
        bool ok = false;
        start = c->toLongLong(&ok);
        if (!ok || start < 0)
            return error(400, u"invalid"_s, u"Invalid input."_s, u"Invalid page cursor."_s,
                         QJsonObject{{u"parameter"_s, u"page[cursor]"_s}});
    }
    const QString path = request.path.mid(5);
    QJsonArray data;
    for (qsizetype i = start; i < items.size() && i < start + size; ++i) {
        QJsonObject a = items.at(i).attributes;
        a.remove(u"sandbox_channel"_s);
        QJsonObject resource{{u"type"_s, type}, {u"id"_s, items.at(i).id}, {u"attributes"_s, a}};
        if (type != u"import-error")
            resource.insert(
                u"links"_s,
                QJsonObject{{u"self"_s, selfUrl(u"%1s/%2/"_s.arg(type, items.at(i).id))}});
        data.append(resource);
    }
    QJsonObject links{{u"self"_s, selfUrl(path)}};
    if (start + size < items.size()) {
        QUrlQuery nextQuery;
        for (const auto &[k, v] : q.queryItems(QUrl::FullyDecoded)) {
            if (k != u"page[cursor]")
                nextQuery.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(k)),
                                       QString::fromLatin1(QUrl::toPercentEncoding(v)));
        }
        nextQuery.addQueryItem(u"page%5Bcursor%5D"_s, cursorFor(start + size));
        QUrl next(u"http://%1%2"_s.arg(QString::fromUtf8(request.header("host")), request.path));
        next.setQuery(nextQuery.query(QUrl::FullyEncoded));
        links.insert(u"next"_s, next.toString(QUrl::FullyEncoded));
    }
    return document({{u"data"_s, data}, {u"links"_s, links}});
}

std::optional<SandboxResponse> KlaviyoSandbox::routeResources(const SandboxRequest &request,
                                                              const QStringList &parts,
                                                              const QJsonObject &body)
{
    const QString &c = parts.first();
    const QByteArray &method = request.method;
    const auto notAllowed = [this, &method] { // built only when answered
        return error(405, u"method_not_allowed"_s, u"Method not allowed."_s,
                     u"Method \"%1\" not allowed."_s.arg(QString::fromLatin1(method)));
    };
    struct Collection
    {
        const char *path;
        const char *type;
        QList<KlaviyoResource> *items;
        int maxPage;
        int defaultPage;
    };
    const Collection collections[] = {
        {"tags", "tag", &m_tags, 50, 50},
        {"segments", "segment", &m_segments, 10, 10},
        {"templates", "template", &m_templates, 10, 10},
        {"campaigns", "campaign", &m_campaigns, 100, 100},
        {"flows", "flow", &m_flows, 50, 50},
    };
    for (const Collection &col : collections) {
        if (c != QLatin1String(col.path))
            continue;
        const QString type = QString::fromLatin1(col.type);
        if (parts.size() == 1) {
            if (method == "GET")
                return listResources(request, type, *col.items, col.maxPage, col.defaultPage);
            if (method == "POST" && type == u"template")
                return createTemplate(body);
            return notAllowed();
        }
        if (parts.size() == 2 && type == u"template") {
            if (method != "GET")
                return notAllowed();
            for (const KlaviyoResource &t : m_templates) {
                if (t.id == parts.at(1))
                    return document(
                        {{u"data"_s,
                          QJsonObject{
                              {u"type"_s, type},
                              {u"id"_s, t.id},
                              {u"attributes"_s, t.attributes},
                              {u"links"_s,
                               QJsonObject{{u"self"_s, selfUrl(u"templates/%1/"_s.arg(t.id))}}}}},
                         {u"links"_s,
                          QJsonObject{{u"self"_s, selfUrl(u"templates/%1/"_s.arg(t.id))}}}});
            }
        }
        return error(404, u"not_found"_s, u"Not found."_s,
                     u"The requested resource could not be found."_s);
    }
    return std::nullopt;
}

SandboxResponse KlaviyoSandbox::createTemplate(const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    const QJsonObject a = data.value(u"attributes"_s).toObject();
    const auto invalid = [this](const QString &detail, const QString &at) {
        return error(400, u"invalid"_s, u"Invalid input."_s, detail,
                     QJsonObject{{u"pointer"_s, at}});
    };
    if (data.value(u"type"_s).toString() != u"template")
        return invalid(u"The resource type must be \"template\"."_s, u"/data/type"_s);
    const QString name = a.value(u"name"_s).toString();
    if (name.trimmed().isEmpty())
        return invalid(u"A template name is required."_s, u"/data/attributes/name"_s);
    const QString editor = a.value(u"editor_type"_s).toString();
    if (editor != u"CODE" && editor != u"USER_DRAGGABLE" && editor != u"SYSTEM_DRAGGABLE")
        return invalid(u"editor_type must be CODE, USER_DRAGGABLE or SYSTEM_DRAGGABLE."_s,
                       u"/data/attributes/editor_type"_s);
    if (editor != u"SYSTEM_DRAGGABLE" && !a.value(u"html"_s).isString())
        return invalid(u"html is required for CODE and USER_DRAGGABLE templates."_s,
                       u"/data/attributes/html"_s);
    // At most 1,000 templates can be created through the API (esp-apis.md 3.7).
    if (m_templates.size() >= 1000)
        return invalid(u"The account has reached the maximum of 1000 templates."_s, u"/data"_s);
    const QString id = addTemplate(name, a.value(u"html"_s).toString(), editor);
    const KlaviyoResource &t = m_templates.last();
    return document(
        {{u"data"_s,
          QJsonObject{{u"type"_s, u"template"_s},
                      {u"id"_s, id},
                      {u"attributes"_s, t.attributes},
                      {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"templates/%1/"_s.arg(id))}}}}},
         {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"templates/"_s)}}}},
        201);
}

QString KlaviyoSandbox::addTag(const QString &name)
{
    m_tags.append({QUuid::createUuid().toString(QUuid::WithoutBraces), {{u"name"_s, name}}});
    return m_tags.last().id;
}

QString KlaviyoSandbox::addSegment(const QString &name)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_segments.append({newId(6),
                       {{u"name"_s, name},
                        {u"created"_s, timeOrNull(now)},
                        {u"updated"_s, timeOrNull(now)},
                        {u"is_active"_s, true},
                        {u"is_processing"_s, false},
                        {u"is_starred"_s, false}}});
    return m_segments.last().id;
}

QString KlaviyoSandbox::addTemplate(const QString &name, const QString &html,
                                    const QString &editorType)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_templates.append({newId(6),
                        {{u"name"_s, name},
                         {u"editor_type"_s, editorType},
                         {u"html"_s, html},
                         {u"text"_s, QJsonValue::Null},
                         {u"amp"_s, QJsonValue::Null},
                         {u"created"_s, timeOrNull(now)},
                         {u"updated"_s, timeOrNull(now)}}});
    return m_templates.last().id;
}

QString KlaviyoSandbox::addCampaign(const QString &name, const QString &status,
                                    const QDateTime &sendTime, const QString &channel)
{
    const QDateTime created
        = sendTime.isValid() ? sendTime.addDays(-1) : QDateTime::currentDateTimeUtc();
    QJsonObject a{
        {u"name"_s, name},
        {u"status"_s, status},
        {u"archived"_s, false},
        {u"audiences"_s, QJsonObject{{u"included"_s, QJsonArray{listIds().value(0)}},
                                     {u"excluded"_s, QJsonArray()}}},
        {u"send_options"_s, QJsonObject{{u"use_smart_sending"_s, true}}},
        {u"send_strategy"_s,
         QJsonObject{{u"method"_s, u"static"_s},
                     {u"datetime"_s, timeOrNull(sendTime.isValid() ? sendTime : created)}}},
        {u"created_at"_s, timeOrNull(created)},
        {u"updated_at"_s, timeOrNull(created)},
        {u"send_time"_s, timeOrNull(sendTime)},
        {u"sandbox_channel"_s, channel}}; // not sent: what the channel filter reads
    if (!sendTime.isValid())
        a.remove(u"send_time"_s);
    m_campaigns.append({QUuid::createUuid().toString(QUuid::WithoutBraces), a});
    return m_campaigns.last().id;
}

QString KlaviyoSandbox::addFlow(const QString &name, const QString &status)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_flows.append({newId(6),
                    {{u"name"_s, name},
                     {u"status"_s, status},
                     {u"archived"_s, false},
                     {u"created"_s, timeOrNull(now)},
                     {u"updated"_s, timeOrNull(now)},
                     {u"trigger_type"_s, u"Added to List"_s}}});
    return m_flows.last().id;
}
