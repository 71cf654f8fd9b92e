#include "integrity/diffmapping.h"

#include "connectors/fieldmapping.h"
#include "csv/csvreader.h"
#include "integrity/diffrecordsource.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

// Letters and digits only, lower-cased: "First Name", "first_name" and "FIRSTNAME" meet.
QString squash(QString name)
{
    if (name.startsWith(u"properties."_s))
        name = name.mid(11);
    QString out;
    for (const QChar c : std::as_const(name)) {
        if (c.isLetterOrNumber())
            out += c.toLower();
    }
    return out;
}

int findSquashed(const DiffRecordSource &side, const QString &name, const QSet<int> &taken)
{
    const QString s = squash(name);
    const QList<DiffSourceField> fields = side.fields();
    for (int i = 0; i < fields.size(); ++i) {
        if (!taken.contains(i) && (squash(fields[i].name) == s || squash(fields[i].label) == s))
            return i;
    }
    return -1;
}

QString headerWhere(const DiffRecordSource &side)
{
    // Export files: the header row; a backup or a listing: the side itself.
    return QFileInfo(side.displayName()).isFile() ? DiffRecordSource::where(side.displayName(), 1)
                                                  : side.displayName();
}

Status checkSize(const DiffMapping &m)
{
    if (m.fields.size() > DiffMapping::kMaxFields)
        return Error(DiffMapping::tr("%1 fields are mapped; at most %2 can be compared.")
                         .arg(m.fields.size())
                         .arg(DiffMapping::kMaxFields),
                     QString(), DiffMapping::tr("Compare fewer fields with a mapping file (--map)."));
    return Status::success();
}

} // namespace

Result<DiffMappingFile> DiffMappingFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(tr("the mapping file cannot be read (%1).").arg(file.errorString()),
                     DiffRecordSource::where(path, 0));
    DiffMappingFile out;
    out.path = path;
    CsvReader::Options options;
    options.requireEqualFieldCounts = false;
    CsvReader reader(path, options);
    int sourceCol = -1, targetCol = -1, typeCol = -1;
    std::optional<Error> error;
    reader.read(file, [&](qint64 line, std::span<const QByteArrayView> f) {
        const auto cell = [&](int c) {
            return c >= 0 && size_t(c) < f.size() ? QString::fromUtf8(f[size_t(c)]).trimmed() : QString();
        };
        if (sourceCol < 0) {
            for (int c = 0; c < int(f.size()); ++c) {
                const QString h = cell(c).toLower();
                if (h == u"source")
                    sourceCol = c;
                else if (h == u"target")
                    targetCol = c;
                else if (h == u"type")
                    typeCol = c;
            }
            if (sourceCol < 0 || targetCol < 0) {
                error = Error(tr("the header row must name the columns \"source\" and \"target\" (and "
                                 "optionally \"type\")."),
                              DiffRecordSource::where(path, line));
                return false;
            }
            return true;
        }
        Row row;
        row.line = line;
        row.source = cell(sourceCol);
        row.target = cell(targetCol);
        if (row.source.startsWith(u'#'))
            return true;
        if (row.source.isEmpty() || row.target.isEmpty()) {
            error = Error(tr("a row needs both a source and a target field."), DiffRecordSource::where(path, line));
            return false;
        }
        const QString type = cell(typeCol).toLower();
        if (type == u"email") {
            row.role = Row::Role::Email;
        } else if (type == u"status") {
            row.role = Row::Role::Status;
        } else if (!type.isEmpty()) {
            const auto t = CompareTypes::fromKey(type);
            if (!t) {
                error = Error(tr("unknown type \"%1\": use auto, text, number, date, phone, tags, boolean, "
                                 "email or status.").arg(type),
                              DiffRecordSource::where(path, line));
                return false;
            }
            row.type = *t;
        }
        out.rows.append(row);
        return true;
    });
    if (reader.hasError()) {
        static const QRegularExpression re(u"(\\d+)$"_s);
        const auto m = re.match(reader.error().where);
        return Error(reader.error().message, DiffRecordSource::where(path, m.hasMatch() ? m.captured(1).toLongLong() : 0),
                     reader.error().hint);
    }
    if (error)
        return *error;
    if (sourceCol < 0)
        return Error(tr("the mapping file is empty."), DiffRecordSource::where(path, 1));
    return out;
}

const DiffMappingFile::Row *DiffMappingFile::special(Row::Role role) const
{
    for (const Row &r : rows) {
        if (r.role == role)
            return &r;
    }
    return nullptr;
}

Result<DiffMapping> DiffMapping::fromFile(const DiffMappingFile &file, DiffRecordSource &source,
                                          DiffRecordSource &target)
{
    DiffMapping m;
    for (const DiffMappingFile::Row &r : file.rows) {
        if (r.role != DiffMappingFile::Row::Role::Field)
            continue;
        const int s = source.fieldIndex(r.source);
        if (s < 0)
            return Error(tr("\"%1\" has no field \"%2\".").arg(source.displayName(), r.source),
                         DiffRecordSource::where(file.path, r.line));
        int t = target.fieldIndex(r.target);
        if (t < 0 && target.acceptsAnyField())
            t = target.addField(r.target);
        if (t < 0)
            return Error(tr("\"%1\" has no field \"%2\".").arg(target.displayName(), r.target),
                         DiffRecordSource::where(file.path, r.line));
        m.fields.append(DiffFieldPair{r.source, r.source, r.target, s, t, r.type});
    }
    if (const Status s = checkSize(m); !s)
        return s.error();
    return m;
}

Result<DiffMapping> DiffMapping::automatic(DiffRecordSource &source, DiffRecordSource &target)
{
    DiffMapping m;
    const QList<DiffSourceField> sf = source.fields();
    QSet<int> sourceTaken, targetTaken;
    const auto add = [&](int s, int t, CompareType type) {
        const QString name = sf[s].label.isEmpty() ? sf[s].name : sf[s].label;
        m.fields.append(DiffFieldPair{name, sf[s].name, target.fields()[t].name, s, t, type});
        sourceTaken.insert(s);
        targetTaken.insert(t);
    };

    const std::optional<TargetPlatform> targetPlatform = target.platform();
    if (source.platform() && targetPlatform) {
        // The transfer's own rules: where the source field would have been written.
        QList<InventoryField> inventory;
        QList<int> index;
        for (int i = 0; i < sf.size(); ++i) {
            inventory.append(InventoryField{sf[i].label.isEmpty() ? sf[i].name : sf[i].label,
                                            sf[i].type.value_or(sf[i].tags ? FieldType::Tags : FieldType::Text), 1,
                                            sf[i].custom});
            index.append(i);
        }
        const QList<FieldMappingRow> rows = FieldMapping::suggest(inventory, *targetPlatform);
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const FieldMappingRow &row = rows[r];
            const int s = index[r];
            if (row.kind == FieldMappingRow::Kind::Unmapped || row.targets.size() != 1)
                continue;
            int t = -1;
            if (row.kind == FieldMappingRow::Kind::Tags) {
                t = target.tagsFieldIndex();
            } else {
                t = target.fieldIndex(row.targets.first());
                if (t < 0)
                    t = findSquashed(target, row.targets.first(), targetTaken);
                if (t < 0 && target.acceptsAnyField())
                    t = target.addField(row.targets.first());
            }
            if (t < 0 || targetTaken.contains(t))
                continue;
            const bool known = sf[s].type.has_value() || sf[s].tags;
            CompareType type = known ? CompareTypes::forFieldType(row.targetType) : CompareType::Auto;
            if (row.targetType == FieldType::Phone)
                type = CompareType::Phone;
            if (row.kind == FieldMappingRow::Kind::Tags)
                type = CompareType::Tags;
            add(s, t, type);
        }
        // The same platform on both sides (or the same names): fields of the same name.
        for (int s = 0; s < sf.size(); ++s) {
            if (sourceTaken.contains(s) || !sf[s].custom)
                continue;
            const int t = findSquashed(target, sf[s].name, targetTaken);
            if (t >= 0)
                add(s, t, sf[s].type ? CompareTypes::forFieldType(*sf[s].type) : CompareType::Auto);
        }
    } else {
        // A generic CSV: its columns must meet the other side's by name.
        for (int s = 0; s < sf.size(); ++s) {
            if (!sf[s].custom && !sf[s].tags)
                continue; // status, evidence and platform columns
            int t = findSquashed(target, sf[s].name, targetTaken);
            if (t < 0 && sf[s].tags)
                t = target.tagsFieldIndex();
            if (t < 0 && target.acceptsAnyField())
                t = target.addField(sf[s].name);
            if (t >= 0 && !targetTaken.contains(t))
                add(s, t, sf[s].tags ? CompareType::Tags
                                     : sf[s].type ? CompareTypes::forFieldType(*sf[s].type) : CompareType::Auto);
        }
        QStringList unmatchedSource, unmatchedTarget;
        for (int s = 0; s < sf.size(); ++s) {
            if (!sourceTaken.contains(s) && (sf[s].custom || sf[s].tags))
                unmatchedSource.append(sf[s].name);
        }
        const QList<DiffSourceField> tf = target.fields();
        for (int t = 0; t < tf.size(); ++t) {
            if (!targetTaken.contains(t) && (tf[t].custom || tf[t].tags))
                unmatchedTarget.append(tf[t].name);
        }
        if (!unmatchedSource.isEmpty() || !unmatchedTarget.isEmpty()) {
            const bool sourceGeneric = !source.platform();
            DiffRecordSource &generic = sourceGeneric ? source : target;
            const QStringList &missing = sourceGeneric ? unmatchedSource : unmatchedTarget;
            const QStringList &other = sourceGeneric ? unmatchedTarget : unmatchedSource;
            return Error(tr("a CSV of no known platform whose columns do not match the other side "
                            "(not matched here: %1; there: %2).")
                             .arg(missing.isEmpty() ? tr("none") : missing.join(u", "_s),
                                  other.isEmpty() ? tr("none") : other.join(u", "_s)),
                         headerWhere(generic),
                         tr("Say which column is which in a mapping file: stagecoach diff SOURCE TARGET "
                            "--map FILE (see stagecoach diff --help)."));
        }
    }
    for (int s = 0; s < sf.size(); ++s) {
        if (!sourceTaken.contains(s) && sf[s].custom)
            m.notComparedSource.append(sf[s].name);
    }
    const QList<DiffSourceField> tf = target.fields();
    for (int t = 0; t < tf.size(); ++t) {
        if (!targetTaken.contains(t) && tf[t].custom)
            m.notComparedTarget.append(tf[t].name);
    }
    if (const Status s = checkSize(m); !s)
        return s.error();
    return m;
}
