#include "plan/fieldmappingcontroller.h"

#include "assessment/assessmentcontroller.h"
#include "plan/plancontroller.h"
#include "store/projectstore.h"

#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

using Kind = FieldMappingRow::Kind;

bool isEditOrDisplay(int role)
{
    return role == Qt::DisplayRole || role == Qt::EditRole;
}

/// A name kept as customName() would write it: Brevo upper-case letters, digits and "_" starting
/// with a letter; Mailchimp the same in at most 10 characters.
bool isTargetStyleName(const QString &name, TargetPlatform target)
{
    return !name.isEmpty() && FieldMapping::customName(name, target) == name;
}

/// Klaviyo's built-in profile attributes: first_name, location.city ... (never "properties.").
bool isKlaviyoBuiltInName(const QString &name)
{
    static const QRegularExpression re(u"^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$"_s);
    return re.match(name).hasMatch() && !name.startsWith(u"properties."_s);
}

/// A built-in name to start from when a row becomes a built-in field without a suggestion.
QString builtInGuess(const QString &source, TargetPlatform target)
{
    if (target != TargetPlatform::Klaviyo)
        return FieldMapping::customName(source, target);
    return FieldMapping::customName(source, TargetPlatform::Brevo).toLower();
}

bool writesOneField(const FieldMappingRow &r)
{
    return r.kind == Kind::Native || r.kind == Kind::Custom || r.kind == Kind::Consent;
}

} // namespace

FieldMappingController::FieldMappingController(ProjectStore *store, AssessmentController *assessment, PlanController *plan,
                                               QObject *parent)
    : QObject(parent), m_store(store), m_assessment(assessment), m_plan(plan)
{
    using Col = FieldMappingModel::Column;
    QList<Col> columns(ColNote + 1);
    columns[ColSource] = {tr("Mailchimp field"), [](const MappedField &f, int role) -> QVariant {
                              if (isEditOrDisplay(role))
                                  return f.row.source;
                              if (role == Qt::ToolTipRole)
                                  return f.edited ? tr("Changed by you") : tr("As suggested");
                              return {};
                          }};
    columns[ColSourceType] = {tr("Holds"), [](const MappedField &f, int role) -> QVariant {
                                  return role == Qt::DisplayRole ? QVariant(FieldTypes::displayName(f.row.sourceType)) : QVariant();
                              }};
    columns[ColKind] = {tr("Goes to"),
                        [](const MappedField &f, int role) -> QVariant {
                            if (role == Qt::DisplayRole)
                                return FieldMappingRow::kindName(f.row.kind);
                            if (role == Qt::EditRole)
                                return FieldMappingRepository::kindKey(f.row.kind);
                            if (role == Qt::ForegroundRole && f.row.kind == Kind::Unmapped)
                                return QColor(0x80, 0x80, 0x80);
                            return {};
                        },
                        [this](MappedField &f, const QVariant &v) {
                            const auto kind = FieldMappingRepository::kindFromKey(v.toString());
                            if (!kind)
                                return refuse(Error{tr("“%1” is not a kind of mapping.").arg(v.toString())});
                            applyKind(f.row, *kind);
                            return true;
                        }};
    columns[ColTargets] = {tr("Target field"),
                           [](const MappedField &f, int role) -> QVariant {
                               if (isEditOrDisplay(role))
                                   return f.row.targets.join(u", "_s);
                               if (role == Qt::ToolTipRole && f.row.targets.size() > 1)
                                   return f.row.targets.join(u'\n');
                               return {};
                           },
                           [this](MappedField &f, const QVariant &v) {
                               QStringList targets;
                               for (const QString &t : v.toString().split(u',', Qt::SkipEmptyParts)) {
                                   if (!t.trimmed().isEmpty())
                                       targets.append(t.trimmed());
                               }
                               if (f.row.kind == Kind::Unmapped && !targets.isEmpty())
                                   return refuse(Error{tr("“%1” is not written, so it has no target field.").arg(f.row.source), QString(),
                                                       tr("Choose where it goes first.")});
                               f.row.targets = targets;
                               return true;
                           }};
    columns[ColTargetType] = {tr("Written as"),
                              [](const MappedField &f, int role) -> QVariant {
                                  if (f.row.kind == Kind::Unmapped || f.row.kind == Kind::Tags)
                                      return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
                                  if (role == Qt::DisplayRole)
                                      return FieldTypes::displayName(f.row.targetType);
                                  if (role == Qt::EditRole)
                                      return FieldTypes::key(f.row.targetType);
                                  return {};
                              },
                              [this](MappedField &f, const QVariant &v) {
                                  const auto type = FieldTypes::fromKey(v.toString());
                                  if (!type)
                                      return refuse(Error{tr("“%1” is not a field type.").arg(v.toString())});
                                  f.row.targetType = *type;
                                  return true;
                              }};
    columns[ColNote] = {tr("Note"), [](const MappedField &f, int role) -> QVariant {
                            return role == Qt::DisplayRole || role == Qt::ToolTipRole ? QVariant(f.row.note) : QVariant();
                        }};
    m_model = new FieldMappingModel(columns, [this](MappedField &f) { return saveEdited(f); }, this);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &FieldMappingController::refreshDerived);

    using UCol = UnmappedFieldsModel::Column;
    m_unmapped = new UnmappedFieldsModel(
        {UCol{tr("Field"), [](const FieldMappingRow &r, int role) { return role == Qt::DisplayRole ? QVariant(r.source) : QVariant(); }},
         UCol{tr("Why it is not transferred"),
              [](const FieldMappingRow &r, int role) {
                  return role == Qt::DisplayRole || role == Qt::ToolTipRole ? QVariant(r.note) : QVariant();
              }}},
        [](FieldMappingRow &) { return false; }, this);

    if (m_plan)
        connect(m_plan, &PlanController::choiceChanged, this, &FieldMappingController::reload);
    if (m_assessment)
        connect(m_assessment, &AssessmentController::inventoryChanged, this, &FieldMappingController::reload);
    reload();
}

QString FieldMappingController::targetName() const
{
    if (m_target)
        return TargetPlatforms::displayName(*m_target);
    if (m_plan) {
        for (const PlatformScore &p : m_plan->ranking()) {
            if (p.platformId == m_choiceId)
                return p.name;
        }
    }
    return m_choiceId;
}

QString FieldMappingController::stateText() const
{
    switch (m_state) {
    case State::NoTarget:
        return tr("No target platform is chosen yet. Choose one on the Platform choice step: the mapping is then "
                  "suggested for it.");
    case State::UnsupportedTarget:
        return tr("Stagecoach transfers contacts to Brevo and Klaviyo. %1 is not one of them, so there is no field "
                  "mapping to make here: its fields are set up by hand.")
            .arg(targetName());
    case State::NoFields:
        return tr("Nothing is assessed yet. Add the Mailchimp export on the Assessment step: the mapping is "
                  "suggested from the fields it has.");
    case State::Ready:
        return {};
    }
    return {};
}

void FieldMappingController::reload()
{
    m_choiceId = m_store->value(u"choice.platform"_s).toString();
    m_target = m_choiceId.isEmpty() ? std::nullopt : TargetPlatforms::fromKey(m_choiceId);
    m_suggestion.clear();
    QList<MappedField> rows;
    m_saved = false;
    if (m_choiceId.isEmpty()) {
        m_state = State::NoTarget;
    } else if (!m_target || *m_target == TargetPlatform::Mailchimp) {
        // Mailchimp is the source: moving it onto itself is not a migration.
        m_target.reset();
        m_state = State::UnsupportedTarget;
    } else {
        const QStringList existing = targetAttributes();
        if (m_assessment && m_assessment->inventory())
            m_suggestion = FieldMapping::suggest(m_assessment->inventory()->fields, *m_target, existing);
        const QList<MappedField> saved = FieldMappingRepository(m_store->database()).load(*m_target);
        m_saved = !saved.isEmpty();
        // The inventory's order; a saved row wins over the suggestion for its field. Saved rows of
        // fields the latest assessment no longer has are kept (the export may be re-added later).
        QStringList seen;
        for (const FieldMappingRow &s : std::as_const(m_suggestion)) {
            MappedField f{s, false};
            for (const MappedField &m : saved) {
                if (m.row.source == s.source)
                    f = m;
            }
            rows.append(f);
            seen.append(s.source);
        }
        for (const MappedField &m : saved) {
            if (!seen.contains(m.row.source))
                rows.append(m);
        }
        // Whether a target field already exists follows the latest reading of the target, also
        // for rows saved before it.
        for (MappedField &f : rows) {
            f.row.existsOnTarget = false;
            for (const QString &t : std::as_const(f.row.targets)) {
                if (existing.contains(t, Qt::CaseInsensitive))
                    f.row.existsOnTarget = true;
            }
        }
        m_state = rows.isEmpty() ? State::NoFields : State::Ready;
    }
    m_model->setRecords(rows);
    refreshDerived();
}

namespace {
QString attributesKey(const QString &targetId)
{
    return u"mapping."_s + targetId + u".attributes"_s;
}
} // namespace

QStringList FieldMappingController::targetAttributes() const
{
    if (m_choiceId.isEmpty())
        return {};
    QStringList names;
    const QJsonArray array = QJsonDocument::fromJson(m_store->value(attributesKey(m_choiceId)).toString().toUtf8()).array();
    for (const QJsonValue &v : array)
        names.append(v.toString());
    return names;
}

bool FieldMappingController::setTargetAttributes(const QStringList &names)
{
    if (m_choiceId.isEmpty())
        return false;
    const QString json = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(names)).toJson(QJsonDocument::Compact));
    if (Status s = m_store->setValue(attributesKey(m_choiceId), json); !s)
        return refuse(s.error());
    reload(); // emits mappingChanged()
    return true;
}

QList<FieldMappingRow> FieldMappingController::rows() const
{
    QList<FieldMappingRow> out;
    for (const MappedField &f : m_model->records())
        out.append(f.row);
    return out;
}

FieldMappingController::Counts FieldMappingController::counts() const
{
    Counts c;
    for (const MappedField &f : m_model->records()) {
        ++c.total;
        if (f.row.kind == Kind::Unmapped)
            ++c.unmapped;
        else if (f.row.kind == Kind::Custom && !f.row.existsOnTarget)
            ++c.created;
        else
            ++c.mapped;
    }
    return c;
}

QString FieldMappingController::summary() const
{
    if (m_state != State::Ready)
        return {};
    const Counts c = counts();
    const QString fields = c.total == 1 ? tr("1 field") : tr("%1 fields").arg(c.total);
    return tr("%1: %2 mapped, %3 created on %4, %5 not transferred")
        .arg(fields)
        .arg(c.mapped)
        .arg(c.created)
        .arg(targetName())
        .arg(c.unmapped);
}

void FieldMappingController::refreshDerived()
{
    m_unmapped->setRecords(FieldMapping::unmapped(rows()));
    Q_EMIT mappingChanged();
}

std::optional<FieldMappingRow> FieldMappingController::suggestionFor(const QString &source) const
{
    for (const FieldMappingRow &s : m_suggestion) {
        if (s.source == source)
            return s;
    }
    return std::nullopt;
}

void FieldMappingController::applyKind(FieldMappingRow &row, Kind kind) const
{
    if (row.kind == kind || !m_target)
        return;
    const TargetPlatform target = *m_target;
    const std::optional<FieldMappingRow> suggested = suggestionFor(row.source);
    row.kind = kind;
    if (suggested && suggested->kind == kind) {
        row.targets = suggested->targets;
        row.targetType = suggested->targetType;
        row.note = suggested->note;
        return;
    }
    row.note.clear();
    switch (kind) {
    case Kind::Unmapped:
        row.targets.clear();
        row.note = tr("Left out by you: kept in the backup, not written to %1.").arg(TargetPlatforms::displayName(target));
        break;
    case Kind::Custom:
    case Kind::Consent:
        row.targets = {FieldMapping::customName(row.source, target)};
        break;
    case Kind::Native:
        row.targets = {builtInGuess(row.source, target)};
        break;
    case Kind::Tags:
        FieldMapping::placeTags(row, target);
        break;
    }
    if (kind != Kind::Tags && !allowedTypes(target, kind, int(row.targets.size())).contains(row.targetType))
        row.targetType = FieldType::Text;
}

QList<FieldType> FieldMappingController::allowedTypes(TargetPlatform target, Kind kind, int targetCount)
{
    if (kind == Kind::Unmapped)
        return {};
    if (kind == Kind::Tags)
        return {FieldType::Tags};
    QList<FieldType> types = {FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Birthday, FieldType::Phone,
                              FieldType::Url};
    // One field holding a whole address: Mailchimp's address merge field, or a split into parts.
    if (target == TargetPlatform::Mailchimp || targetCount > 1)
        types.append(FieldType::Address);
    return types;
}

std::optional<Error> FieldMappingController::check(const FieldMappingRow &r) const
{
    if (!m_target)
        return Error{tr("There is no target platform to map to.")};
    const TargetPlatform target = *m_target;
    const QString platform = TargetPlatforms::displayName(target);
    if (r.kind == Kind::Unmapped)
        return std::nullopt;
    if (r.targets.isEmpty())
        return Error{tr("“%1” needs a target field name.").arg(r.source), QString(),
                     tr("Type the name of the field on %1, or choose “%2”.").arg(platform, FieldMappingRow::kindName(Kind::Unmapped))};
    for (const QString &name : r.targets) {
        if (r.kind == Kind::Tags)
            break;
        const bool builtIn = r.kind == Kind::Native;
        bool ok = true;
        QString rule;
        QString example;
        if (target == TargetPlatform::Klaviyo) {
            if (builtIn) {
                ok = isKlaviyoBuiltInName(name);
                rule = tr("Klaviyo's built-in fields are written in lower case with “_” and “.”, e.g. first_name or "
                          "location.city.");
            } else if (r.kind == Kind::Custom) {
                ok = name.startsWith(u"properties."_s) && name.size() > 11 && name.trimmed() == name
                    && FieldMapping::customName(name.mid(11), target) == name;
                rule = tr("Klaviyo keeps custom fields as properties: the name starts with “properties.”.");
                example = FieldMapping::customName(name.startsWith(u"properties."_s) ? name.mid(11) : name, target);
            } else {
                ok = !name.contains(u' ');
                rule = tr("Names of consent evidence have no spaces.");
            }
        } else if (r.kind == Kind::Consent && target == TargetPlatform::Mailchimp) {
            ok = !name.contains(u' ');
            rule = tr("Names of consent evidence have no spaces.");
        } else {
            ok = isTargetStyleName(name, target);
            rule = target == TargetPlatform::Mailchimp
                ? tr("Mailchimp merge tags are at most 10 upper-case letters, digits and “_”, starting with a letter.")
                : tr("%1 attribute names are upper-case letters, digits and “_”, starting with a letter.").arg(platform);
            example = FieldMapping::customName(name, target);
        }
        if (!ok) {
            const QString hint = example.isEmpty() || example == name ? rule : rule + u' ' + tr("For example: %1").arg(example);
            return Error{tr("%1 cannot take a field named “%2”.").arg(platform, name), r.source, hint};
        }
    }
    if (!allowedTypes(target, r.kind, int(r.targets.size())).contains(r.targetType) && r.kind != Kind::Tags)
        return Error{tr("%1 cannot be written as %2 on %3.").arg(r.source, FieldTypes::displayName(r.targetType), platform),
                     QString(), tr("Choose Text, Number or Date.")};
    // Two fields onto one target field would overwrite each other; an address split into parts
    // may share a part with a field of its own (Klaviyo's location.city and a City field).
    if (writesOneField(r) && r.targets.size() == 1) {
        for (const MappedField &other : m_model->records()) {
            if (other.row.source == r.source || !writesOneField(other.row) || other.row.targets.size() != 1)
                continue;
            if (other.row.targets.first().compare(r.targets.first(), Qt::CaseInsensitive) == 0)
                return Error{tr("“%1” already goes to %2: two fields cannot be written to one.")
                                 .arg(other.row.source, r.targets.first()),
                             r.source, tr("Choose another name, or leave one of them out.")};
        }
    }
    return std::nullopt;
}

bool FieldMappingController::refuse(const Error &error)
{
    m_lastError = error;
    Q_EMIT failed(error);
    return false;
}

bool FieldMappingController::saveEdited(MappedField &field)
{
    if (!m_target)
        return refuse(Error{tr("There is no target platform to map to.")});
    if (const auto problem = check(field.row))
        return refuse(*problem);
    field.edited = true;
    // The whole mapping as shown is saved, so that the file holds it all once it was touched.
    QList<MappedField> all = m_model->records();
    for (MappedField &f : all) {
        if (f.row.source == field.row.source)
            f = field;
    }
    if (Status s = FieldMappingRepository(m_store->database()).save(*m_target, all); !s)
        return refuse(s.error());
    m_saved = true;
    m_lastError.reset();
    return true;
}

bool FieldMappingController::setKind(int row, Kind kind)
{
    return m_model->setData(m_model->index(row, ColKind), FieldMappingRepository::kindKey(kind));
}

bool FieldMappingController::setTargets(int row, const QStringList &targets)
{
    return m_model->setData(m_model->index(row, ColTargets), targets.join(u", "_s));
}

bool FieldMappingController::setTargetType(int row, FieldType type)
{
    return m_model->setData(m_model->index(row, ColTargetType), FieldTypes::key(type));
}

bool FieldMappingController::resetRow(int row)
{
    if (!m_target || row < 0 || row >= m_model->rowCount())
        return false;
    const std::optional<FieldMappingRow> suggested = suggestionFor(m_model->at(row).row.source);
    if (!suggested)
        return refuse(Error{tr("There is no suggestion for “%1”: the latest assessment does not have it.")
                                .arg(m_model->at(row).row.source)});
    QList<MappedField> all = m_model->records();
    all[row] = MappedField{*suggested, false};
    if (Status s = FieldMappingRepository(m_store->database()).save(*m_target, all); !s)
        return refuse(s.error());
    m_saved = true;
    m_lastError.reset();
    m_model->replace(row, all[row]);
    return true;
}

bool FieldMappingController::resetAll()
{
    if (!m_target)
        return false;
    if (Status s = FieldMappingRepository(m_store->database()).clear(*m_target); !s)
        return refuse(s.error());
    m_lastError.reset();
    reload();
    return true;
}
