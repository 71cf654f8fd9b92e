#pragma once

#include "connectors/fieldmapping.h"
#include "connectors/fieldmappingrepository.h"
#include "core/recordtablemodel.h"
#include "core/result.h"

#include <QObject>

#include <optional>

class AssessmentController;
class PlanController;
class ProjectStore;

using FieldMappingModel = RecordTableModel<MappedField>;
using UnmappedFieldsModel = RecordTableModel<FieldMappingRow>;

/**
 * The field mapping step without its widgets: where each field of the assessed export goes on the
 * chosen target (the "choice.platform" setting). Shows the saved mapping for that target, or
 * FieldMapping::suggest()'s from the assessment's inventory when none is saved. Every edit is
 * checked the way the target names fields and saved as it is made, the whole mapping in one
 * transaction; a refused or failed edit changes nothing and says why (failed()).
 */
class FieldMappingController : public QObject
{
    Q_OBJECT

public:
    enum Column { ColSource, ColSourceType, ColKind, ColTargets, ColTargetType, ColNote };
    enum UnmappedColumn { UnmappedSource, UnmappedReason };
    enum class State {
        NoTarget,          ///< no platform chosen yet
        UnsupportedTarget, ///< a platform Stagecoach does not write to
        NoFields,          ///< nothing assessed and nothing saved
        Ready,
    };

    /// What the summary line counts.
    struct Counts
    {
        int total = 0;
        int mapped = 0;   ///< onto built-in fields, consent evidence, tags
        int created = 0;  ///< custom fields created on the target
        int unmapped = 0; ///< not transferred
    };

    FieldMappingController(ProjectStore *store, AssessmentController *assessment, PlanController *plan,
                           QObject *parent = nullptr);

    State state() const { return m_state; }
    /// Why there is no table (NoTarget, UnsupportedTarget, NoFields); empty when Ready. Translated.
    QString stateText() const;
    std::optional<TargetPlatform> target() const { return m_target; }
    /// True when the project holds a mapping for the target (the user edited it).
    bool isSaved() const { return m_saved; }

    FieldMappingModel *model() { return m_model; }
    UnmappedFieldsModel *unmappedModel() { return m_unmapped; }
    QList<FieldMappingRow> rows() const;
    Counts counts() const;
    /// "12 fields: 8 mapped, 2 created on Brevo, 2 not transferred"; empty when not Ready.
    QString summary() const;

    bool setKind(int row, FieldMappingRow::Kind kind);
    bool setTargets(int row, const QStringList &targets);
    bool setTargetType(int row, FieldType type);
    /// Puts the suggestion back for one row, or for all (forgetting the saved mapping).
    bool resetRow(int row);
    bool resetAll();

    /// Why `candidate` cannot be saved as it is (names the target refuses, a target field taken by
    /// another source); nullopt when it can.
    std::optional<Error> check(const FieldMappingRow &candidate) const;
    /// The target types a row of that kind may be given on the target.
    static QList<FieldType> allowedTypes(TargetPlatform target, FieldMappingRow::Kind kind, int targetCount);
    /// The target's own field names as last read from it (Brevo attributes, Klaviyo properties),
    /// saved in the project; the suggestion matches them and the summary counts them as existing.
    QStringList targetAttributes() const;
    /// Records what the target was found to hold and suggests again (saved edits are kept).
    bool setTargetAttributes(const QStringList &names);

    /// The last error (refused edit or failed save), for the page; cleared by a successful edit.
    const std::optional<Error> &lastError() const { return m_lastError; }

public Q_SLOTS:
    /// Reads the choice, the inventory and the saved mapping again.
    void reload();

Q_SIGNALS:
    /// The rows, the summary or the state changed.
    void mappingChanged();
    /// An edit was refused or could not be saved (the project and the table are unchanged).
    void failed(const Error &error);

private:
    bool saveEdited(MappedField &field);
    bool refuse(const Error &error);
    void applyKind(FieldMappingRow &row, FieldMappingRow::Kind kind) const;
    std::optional<FieldMappingRow> suggestionFor(const QString &source) const;
    void refreshDerived();
    QString targetName() const;

    ProjectStore *m_store;
    AssessmentController *m_assessment;
    PlanController *m_plan;
    FieldMappingModel *m_model;
    UnmappedFieldsModel *m_unmapped;
    State m_state = State::NoTarget;
    std::optional<TargetPlatform> m_target;
    QString m_choiceId;
    QList<FieldMappingRow> m_suggestion;
    bool m_saved = false;
    std::optional<Error> m_lastError;
};
