#include "openapispec.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

struct Line
{
    int indent = 0;
    QString text; // without the indentation
    int number = 0;
};

bool isSequenceItem(const QString &text)
{
    return text == u"-" || text.startsWith(u"- ");
}

/// The end of a quoted scalar that starts at text[0], or -1.
qsizetype closingQuote(const QString &text)
{
    const QChar quote = text.at(0);
    for (qsizetype i = 1; i < text.size(); ++i) {
        if (quote == u'"' && text.at(i) == u'\\') {
            ++i;
        } else if (text.at(i) == quote) {
            if (quote == u'\'' && i + 1 < text.size() && text.at(i + 1) == u'\'') {
                ++i; // '' inside single quotes
                continue;
            }
            return i;
        }
    }
    return -1;
}

/// Splits "key: rest" / "key:"; false when the line is not a mapping entry.
bool splitKey(const QString &text, QString *key, QString *rest)
{
    qsizetype colon = -1;
    if (text.startsWith(u'"') || text.startsWith(u'\'')) {
        const qsizetype end = closingQuote(text);
        if (end < 0 || end + 1 >= text.size() || text.at(end + 1) != u':')
            return false;
        *key = text.mid(1, end - 1);
        colon = end + 1;
    } else {
        colon = text.indexOf(u": "_s);
        if (colon < 0 && text.endsWith(u':'))
            colon = text.size() - 1;
        if (colon <= 0)
            return false;
        *key = text.left(colon);
    }
    if (colon + 1 < text.size() && text.at(colon + 1) != u' ')
        return false;
    *rest = text.mid(colon + 1).trimmed();
    return true;
}

/// Whether a double-quoted scalar is still open after this line: one opened by the value
/// ("key: \"..." or "- \"...") or continued from the line before.
bool stillInDoubleQuotes(const QString &trimmed, bool open)
{
    qsizetype i = 0;
    if (!open) {
        QString key;
        QString rest;
        QString value = trimmed;
        if (trimmed.startsWith(u"- "))
            value = trimmed.mid(2).trimmed();
        if (!value.startsWith(u'"') && splitKey(value, &key, &rest))
            value = rest;
        if (!value.startsWith(u'"'))
            return false;
        i = trimmed.indexOf(value) + 1;
    }
    for (; i < trimmed.size(); ++i) {
        if (trimmed.at(i) == u'\\')
            ++i;
        else if (trimmed.at(i) == u'"')
            return false;
    }
    return true;
}

class YamlReader
{
public:
    explicit YamlReader(const QByteArray &text)
    {
        const QList<QByteArray> raw = text.split('\n');
        bool inDoubleQuotes = false;
        for (qsizetype n = 0; n < raw.size(); ++n) {
            const QString line
                = QString::fromUtf8(raw.at(n)).chopped(raw.at(n).endsWith('\r') ? 1 : 0);
            const QString trimmed = line.trimmed();
            // Inside a double-quoted scalar over several lines, a line starting with '#' is
            // text, not a comment (Brevo's swagger.yaml has Markdown headings there).
            const bool quotedText = inDoubleQuotes;
            inDoubleQuotes = stillInDoubleQuotes(trimmed, inDoubleQuotes);
            if (!quotedText
                && (trimmed.isEmpty() || trimmed.startsWith(u'#') || trimmed == u"---"))
                continue;
            qsizetype indent = 0;
            while (line.at(indent) == u' ')
                ++indent;
            m_lines.append({int(indent), line.mid(indent).trimmed(), int(n + 1)});
        }
    }

    QJsonValue document()
    {
        if (m_lines.isEmpty())
            return {};
        QJsonValue v = node(m_lines.first().indent);
        if (m_error.isEmpty() && m_i < m_lines.size())
            fail(u"unexpected indentation"_s);
        return v;
    }

    QString error() const { return m_error; }

private:
    void fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error
                = u"line %1: %2"_s.arg(m_i < m_lines.size() ? m_lines.at(m_i).number : -1).arg(why);
    }

    QJsonValue node(int indent)
    {
        if (m_i >= m_lines.size() || m_lines.at(m_i).indent < indent)
            return {};
        return isSequenceItem(m_lines.at(m_i).text) ? sequence(m_lines.at(m_i).indent)
                                                    : mapping(m_lines.at(m_i).indent);
    }

    QJsonValue mapping(int indent)
    {
        QJsonObject object;
        while (m_error.isEmpty() && m_i < m_lines.size() && m_lines.at(m_i).indent == indent
               && !isSequenceItem(m_lines.at(m_i).text)) {
            QString key, rest;
            if (!splitKey(m_lines.at(m_i).text, &key, &rest)) {
                fail(u"expected \"key: value\""_s);
                break;
            }
            ++m_i;
            QJsonValue value;
            if (!rest.isEmpty())
                value = scalar(rest, indent);
            else if (m_i < m_lines.size() && m_lines.at(m_i).indent > indent)
                value = node(m_lines.at(m_i).indent);
            else if (m_i < m_lines.size() && m_lines.at(m_i).indent == indent
                     && isSequenceItem(m_lines.at(m_i).text))
                value = sequence(indent);
            object.insert(key, value);
        }
        if (m_i < m_lines.size() && m_lines.at(m_i).indent > indent)
            fail(u"unexpected indentation"_s);
        return object;
    }

    QJsonValue sequence(int indent)
    {
        QJsonArray array;
        while (m_error.isEmpty() && m_i < m_lines.size() && m_lines.at(m_i).indent == indent
               && isSequenceItem(m_lines.at(m_i).text)) {
            const QString text = m_lines.at(m_i).text;
            qsizetype skip = 1;
            while (skip < text.size() && text.at(skip) == u' ')
                ++skip;
            const QString rest = text.mid(skip);
            QString key, value;
            if (rest.isEmpty()) {
                ++m_i;
                array.append(m_i < m_lines.size() && m_lines.at(m_i).indent > indent
                                 ? node(m_lines.at(m_i).indent)
                                 : QJsonValue());
            } else if (splitKey(rest, &key, &value) || isSequenceItem(rest)) {
                // "- key: value" opens a mapping whose keys line up with "key".
                m_lines[m_i] = {indent + int(skip), rest, m_lines.at(m_i).number};
                array.append(node(indent + int(skip)));
            } else {
                ++m_i;
                array.append(scalar(rest, indent));
            }
        }
        return array;
    }

    /// A scalar starting with `first`, continued by the following lines indented beyond `indent`.
    QJsonValue scalar(const QString &first, int indent)
    {
        QStringList parts{first};
        while (m_i < m_lines.size() && m_lines.at(m_i).indent > indent)
            parts.append(m_lines.at(m_i++).text);
        if (first.startsWith(u'&') || first.startsWith(u'*') || first.startsWith(u'!')
            || first.startsWith(u'|') || first.startsWith(u'>')) {
            fail(u"anchors, aliases, tags and block scalars are not supported"_s);
            return {};
        }
        if (first.startsWith(u'"')) {
            QString raw;
            for (const QString &p : parts) {
                if (raw.endsWith(u'\\'))
                    raw.chop(1); // an escaped line break joins without a space
                else if (!raw.isEmpty())
                    raw += u' ';
                raw += p;
            }
            const qsizetype end = closingQuote(raw);
            if (end < 0) {
                fail(u"unterminated double-quoted scalar"_s);
                return {};
            }
            QString out;
            for (qsizetype i = 1; i < end; ++i) {
                QChar c = raw.at(i);
                if (c == u'\\' && i + 1 < end) {
                    const QChar e = raw.at(++i);
                    if (e == u'n')
                        c = u'\n';
                    else if (e == u't')
                        c = u'\t';
                    else if (e == u'u' && i + 4 < end) {
                        c = QChar(raw.mid(i + 1, 4).toUShort(nullptr, 16));
                        i += 4;
                    } else
                        c = e; // \" \\ \/ and "\ " (escaped space)
                }
                out += c;
            }
            return out;
        }
        const QString joined = parts.join(u' ');
        if (first.startsWith(u'\'')) {
            const qsizetype end = closingQuote(joined);
            if (end < 0) {
                fail(u"unterminated single-quoted scalar"_s);
                return {};
            }
            return joined.mid(1, end - 1).replace(u"''"_s, u"'"_s);
        }
        if (joined == u"[]")
            return QJsonArray();
        if (joined == u"{}")
            return QJsonObject();
        if (joined.startsWith(u'[') || joined.startsWith(u'{')) {
            fail(u"flow collections are not supported"_s);
            return {};
        }
        if (joined == u"null" || joined == u"~")
            return QJsonValue(QJsonValue::Null);
        if (joined == u"true" || joined == u"false")
            return joined == u"true";
        static const QRegularExpression number(u"^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"_s);
        if (number.match(joined).hasMatch())
            return joined.toDouble();
        return joined;
    }

    QList<Line> m_lines;
    qsizetype m_i = 0;
    QString m_error;
};

QString typeOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"undefined"_s;
    }
}

} // namespace

QJsonValue OpenApiSpec::parseYaml(const QByteArray &text, QString *error)
{
    YamlReader reader(text);
    const QJsonValue v = reader.document();
    if (error)
        *error = reader.error();
    return reader.error().isEmpty() ? v : QJsonValue();
}

bool OpenApiSpec::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    const QByteArray text = file.readAll();
    QJsonValue v;
    if (path.endsWith(u".json"_s)) { // Klaviyo publishes JSON documents
        QJsonParseError e;
        v = QJsonDocument::fromJson(text, &e).object();
        if (e.error != QJsonParseError::NoError)
            m_error = u"%1: %2"_s.arg(path, e.errorString());
    } else {
        v = parseYaml(text, &m_error);
    }
    m_root = v.toObject();
    if (m_error.isEmpty() && !m_root.contains(u"openapi"_s)
        && m_root.value(u"swagger"_s).toString() != u"2.0")
        m_error = u"%1: not an OpenAPI 3 or Swagger 2.0 document"_s.arg(path);
    return m_error.isEmpty();
}

QJsonObject OpenApiSpec::operation(const QString &path, const QString &method) const
{
    return m_root.value(u"paths"_s).toObject().value(path).toObject().value(method).toObject();
}

QString OpenApiSpec::responseSchemaName(const QString &path, const QString &method,
                                        const QString &status, const QString &contentType) const
{
    QString ref = operation(path, method)
                            .value(u"responses"_s)
                            .toObject()
                            .value(status)
                            .toObject()
                            .value(u"content"_s)
                            .toObject()
                            .value(contentType)
                            .toObject()
                            .value(u"schema"_s)
                            .toObject()
                            .value(u"$ref"_s)
                            .toString();
    if (ref.isEmpty()) // Swagger 2.0: responses.<status>.schema, no content types
        ref = operation(path, method)
                  .value(u"responses"_s)
                  .toObject()
                  .value(status)
                  .toObject()
                  .value(u"schema"_s)
                  .toObject()
                  .value(u"$ref"_s)
                  .toString();
    return ref.section(u'/', -1);
}

QJsonObject OpenApiSpec::schema(const QString &name) const
{
    if (m_root.contains(u"definitions"_s)) // Swagger 2.0
        return m_root.value(u"definitions"_s).toObject().value(name).toObject();
    return m_root.value(u"components"_s)
        .toObject()
        .value(u"schemas"_s)
        .toObject()
        .value(name)
        .toObject();
}

void OpenApiSpec::setSchema(const QString &name, const QJsonObject &schema)
{
    if (m_root.contains(u"definitions"_s)) { // Swagger 2.0
        QJsonObject definitions = m_root.value(u"definitions"_s).toObject();
        definitions.insert(name, schema);
        m_root.insert(u"definitions"_s, definitions);
        return;
    }
    QJsonObject components = m_root.value(u"components"_s).toObject();
    QJsonObject schemas = components.value(u"schemas"_s).toObject();
    schemas.insert(name, schema);
    components.insert(u"schemas"_s, schemas);
    m_root.insert(u"components"_s, components);
}

QStringList OpenApiSpec::validate(const QJsonValue &value, const QString &schemaName) const
{
    QStringList errors;
    const QJsonObject s = schema(schemaName);
    if (s.isEmpty())
        errors.append(u"no schema %1 in the document"_s.arg(schemaName));
    else
        validate(value, s, u"$"_s, errors, 0);
    return errors;
}

void OpenApiSpec::validate(const QJsonValue &value, const QJsonObject &schema, const QString &where,
                           QStringList &errors, int depth) const
{
    if (depth > 32) {
        errors.append(where + u": schema nesting too deep"_s);
        return;
    }
    if (schema.contains(u"$ref"_s)) {
        const QString name = schema.value(u"$ref"_s).toString().section(u'/', -1);
        const QJsonObject target = this->schema(name);
        if (target.isEmpty())
            errors.append(where + u": unresolved $ref "_s + name);
        else
            validate(value, target, where, errors, depth + 1);
        return;
    }
    if (value.isNull() && schema.value(u"nullable"_s).toBool())
        return;
    if (schema.contains(u"allOf"_s)) {
        // All branches at once: their properties and required lists merged into one object
        // schema, so the strict "declared property" check sees every branch's properties.
        QString error;
        const QJsonObject merged = flattened(schema, &error, depth);
        if (!error.isEmpty()) {
            errors.append(where + u": "_s + error);
            return;
        }
        validate(value, merged, where, errors, depth + 1);
        return;
    }
    for (const QString &unsupported : {u"oneOf"_s, u"anyOf"_s, u"not"_s}) {
        if (schema.contains(unsupported)) {
            errors.append(where + u": schema uses "_s + unsupported
                          + u", which the checker does not support"_s);
            return;
        }
    }
    const QString type = schema.value(u"type"_s).toString();
    const QString actual = typeOf(value);
    if (!type.isEmpty()) {
        bool fits = actual == type;
        if (type == u"integer")
            fits = value.isDouble() && value.toDouble() == double(qint64(value.toDouble()));
        else if (type == u"number")
            fits = value.isDouble();
        if (!fits) {
            errors.append(u"%1: %2 where the spec says %3"_s.arg(where, actual, type));
            return;
        }
    }
    if (schema.contains(u"enum"_s) && !schema.value(u"enum"_s).toArray().contains(value))
        errors.append(
            u"%1: %2 is not one of the spec's values"_s.arg(where, value.toVariant().toString()));

    if (value.isArray()) {
        const QJsonObject items = schema.value(u"items"_s).toObject();
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            validate(array.at(i), items, u"%1[%2]"_s.arg(where).arg(i), errors, depth + 1);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        const QJsonValue additional = schema.value(u"additionalProperties"_s);
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString at = where + u'.' + it.key();
            if (properties.contains(it.key()))
                validate(it.value(), properties.value(it.key()).toObject(), at, errors, depth + 1);
            else if (additional.isObject())
                validate(it.value(), additional.toObject(), at, errors, depth + 1);
            else if (additional != QJsonValue(true) && schema.contains(u"properties"_s))
                errors.append(at + u": not a property in the spec"_s);
        }
        for (const QJsonValue &required : schema.value(u"required"_s).toArray()) {
            if (!object.contains(required.toString()))
                errors.append(where + u": required property "_s + required.toString()
                              + u" missing"_s);
        }
    }
}

QJsonObject OpenApiSpec::flattened(const QJsonObject &schema, QString *error, int depth) const
{
    if (depth > 32) {
        *error = u"schema nesting too deep"_s;
        return {};
    }
    QJsonObject s = schema;
    if (s.contains(u"$ref"_s)) {
        const QString name = s.value(u"$ref"_s).toString().section(u'/', -1);
        s = this->schema(name);
        if (s.isEmpty()) {
            *error = u"unresolved $ref "_s + name;
            return {};
        }
        return flattened(s, error, depth + 1);
    }
    if (s.contains(u"oneOf"_s) || s.contains(u"anyOf"_s) || s.contains(u"not"_s)) {
        *error = u"schema uses oneOf/anyOf/not, which the checker does not support"_s;
        return {};
    }
    if (!s.contains(u"allOf"_s))
        return s;
    QJsonObject merged = s;
    merged.remove(u"allOf"_s);
    QJsonObject properties = merged.value(u"properties"_s).toObject();
    QJsonArray required = merged.value(u"required"_s).toArray();
    for (const QJsonValue &b : s.value(u"allOf"_s).toArray()) {
        const QJsonObject branch = flattened(b.toObject(), error, depth + 1);
        if (!error->isEmpty())
            return {};
        const QJsonObject bp = branch.value(u"properties"_s).toObject();
        for (auto it = bp.begin(); it != bp.end(); ++it) {
            QJsonObject existing = properties.value(it.key()).toObject();
            QJsonObject incoming = it.value().toObject();
            // Nested inline objects declared in several branches (Klaviyo's "attributes") merge too.
            if (existing.contains(u"properties"_s) && incoming.contains(u"properties"_s)) {
                QJsonObject p = existing.value(u"properties"_s).toObject();
                const QJsonObject more = incoming.value(u"properties"_s).toObject();
                for (auto m = more.begin(); m != more.end(); ++m)
                    p.insert(m.key(), m.value());
                incoming.insert(u"properties"_s, p);
            } else if (existing.contains(u"properties"_s) && !incoming.contains(u"properties"_s)) {
                continue;
            }
            properties.insert(it.key(), incoming);
        }
        for (const QJsonValue &r : branch.value(u"required"_s).toArray()) {
            if (!required.contains(r))
                required.append(r);
        }
        for (const QString &key : {u"type"_s, u"additionalProperties"_s}) {
            if (branch.contains(key))
                merged.insert(key, branch.value(key));
        }
    }
    merged.insert(u"properties"_s, properties);
    merged.insert(u"required"_s, required);
    return merged;
}
