// KlaviyoSandbox: lists (listing with filters, creation) and the filter expressions.
#include "sandbox/klaviyosandbox.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace KlaviyoFilter {

std::optional<Expression> parse(const QString &text)
{
    static const QRegularExpression call(u"^([a-z-]+)\\(([A-Za-z_.]+),(.*)\\)$"_s,
                                         QRegularExpression::DotMatchesEverythingOption);
    const auto m = call.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    Expression e{m.captured(1), m.captured(2), {}};
    const QString value = m.captured(3).trimmed();
    const auto unescape = [](QString v) {
        return v.replace(u"\\\""_s, u"\""_s).replace(u"\\'"_s, u"'"_s).replace(u"\\\\"_s, u"\\"_s);
    };
    if (value.startsWith(u'[') || value.startsWith(u'"') || value.startsWith(u'\'')) {
        // Every match of "((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)' from left to right, as
        // QRegularExpression::globalMatch found them (it cost microseconds a value; the any()
        // filter has 100): a quoted text runs to the first quote that is not escaped; an escape
        // is a backslash and any character but a newline; a quote that does not close starts no
        // match, and the search goes on after it. tst_KlaviyoSandbox::filterValuesMatchExpression
        // compares the two.
        const qsizetype size = value.size();
        for (qsizetype i = 0; i < size; ++i) {
            const QChar quote = value.at(i);
            if (quote != u'"' && quote != u'\'')
                continue;
            qsizetype end = i + 1;
            while (end < size && value.at(end) != quote) {
                if (value.at(end) != u'\\')
                    ++end;
                else if (end + 1 < size && value.at(end + 1) != u'\n')
                    end += 2;
                else
                    break; // an escape of nothing or of a newline: no match from i
            }
            if (end < size && value.at(end) == quote) {
                e.values.append(unescape(value.sliced(i + 1, end - i - 1)));
                i = end;
            }
        }
        if (e.values.isEmpty() && value != u"[]")
            return std::nullopt;
    } else {
        e.values.append(value);
    }
    return e;
}

std::optional<QString> queryValue(const QUrlQuery &query, const QString &name)
{
    for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded)) {
        if (k == name)
            return v;
    }
    return std::nullopt;
}

} // namespace KlaviyoFilter

namespace {

using KlaviyoFilter::queryValue;

SandboxResponse document(const QJsonObject &body, int status = 200)
{
    return SandboxResponse::fromJson(body, status, QByteArrayLiteral("application/vnd.api+json"));
}

QJsonObject pointer(const QString &p)
{
    return QJsonObject{{u"pointer"_s, p}};
}

QJsonObject parameter(const QString &p)
{
    return QJsonObject{{u"parameter"_s, p}};
}

QString cursorFor(const QString &lastId)
{
    return QString::fromLatin1(
        lastId.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

SandboxResponse KlaviyoSandbox::getLists(const SandboxRequest &request) const
{
    const QUrlQuery &q = request.query;
    int size = maxListsPageSize;
    if (queryValue(q, u"page[size]"_s).has_value()) {
        bool ok = false;
        size = queryValue(q, u"page[size]"_s).value_or(QString()).toInt(&ok);
        if (!ok || size < 1 || size > maxListsPageSize)
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"Page size must be an integer from 1 to %1."_s.arg(maxListsPageSize),
                         parameter(u"page[size]"_s));
    }
    // Filter: equals(name,...) or any(name,[...]) (K-spec get_lists allows id and times too).
    QList<const KlaviyoList *> lists;
    std::optional<QStringList> names;
    if (queryValue(q, u"filter"_s).has_value()) {
        const auto e = KlaviyoFilter::parse(queryValue(q, u"filter"_s).value_or(QString()));
        if (!e || e->field != u"name" || (e->op != u"equals" && e->op != u"any"))
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"The sandbox supports the list filters equals(name,...) and "
                         "any(name,[...])."_s,
                         parameter(u"filter"_s));
        names = e->values;
    }
    for (const KlaviyoList &l : m_lists) {
        if (!names || names->contains(l.name))
            lists.append(&l);
    }
    qsizetype start = 0;
    if (queryValue(q, u"page[cursor]"_s).has_value()) {
        const QString after = QString::fromUtf8(
            QByteArray::fromBase64(queryValue(q, u"page[cursor]"_s).value_or(QString()).toLatin1(),
                                   QByteArray::Base64UrlEncoding));
        start = lists.size();
        for (qsizetype i = 0; i < lists.size(); ++i) {
            if (lists.at(i)->id == after)
                start = i + 1;
        }
    }
    QJsonArray data;
    for (qsizetype i = start; i < lists.size() && i < start + size; ++i)
        data.append(listJson(*lists.at(i)));
    QJsonObject links{{u"self"_s, selfUrl(u"lists/"_s)}};
    if (start + size < lists.size()) {
        const QString host = QString::fromUtf8(request.header("host"));
        QUrlQuery nextQuery = q;
        nextQuery.removeAllQueryItems(u"page[cursor]"_s);
        nextQuery.removeAllQueryItems(u"page%5Bcursor%5D"_s);
        nextQuery.addQueryItem(u"page%5Bcursor%5D"_s, cursorFor(lists.at(start + size - 1)->id));
        QUrl next(u"http://%1/api/lists/"_s.arg(host));
        next.setQuery(nextQuery);
        links.insert(u"next"_s, next.toString(QUrl::FullyEncoded));
    }
    return document({{u"data"_s, data}, {u"links"_s, links}});
}

SandboxResponse KlaviyoSandbox::createList(const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != u"list")
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"list\"."_s, pointer(u"/data/type"_s));
    const QJsonObject a = data.value(u"attributes"_s).toObject();
    const QString name = a.value(u"name"_s).toString();
    if (name.trimmed().isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, u"A list name is required."_s,
                     pointer(u"/data/attributes/name"_s));
    const QString optIn = a.value(u"opt_in_process"_s).toString(u"double_opt_in"_s);
    if (optIn != u"double_opt_in" && optIn != u"single_opt_in")
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"opt_in_process must be double_opt_in or single_opt_in."_s,
                     pointer(u"/data/attributes/opt_in_process"_s));
    const QString id = addList(name, optIn);
    return document({{u"data"_s, listJson(*list(id))},
                     {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"lists/"_s)}}}},
                    201);
}
