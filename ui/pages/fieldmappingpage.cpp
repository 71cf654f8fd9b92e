#include "pages/fieldmappingpage.h"

#include "connectors/connectioncontroller.h"
#include "connectors/fieldmappingrepository.h"
#include "plan/fieldmappingcontroller.h"
#include "widgets/choicedelegate.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

FieldMappingPage::FieldMappingPage(FieldMappingController *mapping, ConnectionController *connections, QWidget *parent)
    : QWizardPage(parent), m_mapping(mapping), m_connections(connections)
{
    setObjectName(QStringLiteral("page_fieldMapping"));
    setTitle(tr("Field mapping"));
    setSubTitle(tr("Where does each Mailchimp field go on the target? Review the suggestion and change what should go elsewhere."));

    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("fieldMappingNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border: 1px solid #e0c068; border-radius: 4px; "
                                         "padding: 8px; color: #4a3b00; }"));
    layout->addWidget(m_note);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fieldMappingSummary"));
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    layout->addWidget(m_summary);

    auto *intro = new QLabel(tr("Double-click a cell to change where a field goes, the name it gets or how its values are "
                                "written. Names are checked the way the target wants them; every change is saved at once."),
                             this);
    intro->setObjectName(QStringLiteral("fieldMappingIntro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("fieldMappingTable"));
    m_table->setModel(mapping->model());
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    ChoiceDelegate::Choices kinds;
    for (const auto kind : {FieldMappingRow::Kind::Native, FieldMappingRow::Kind::Custom, FieldMappingRow::Kind::Consent,
                            FieldMappingRow::Kind::Tags, FieldMappingRow::Kind::Unmapped})
        kinds.append({FieldMappingRow::kindName(kind), FieldMappingRepository::kindKey(kind)});
    m_table->setItemDelegateForColumn(FieldMappingController::ColKind, new ChoiceDelegate(kinds, QStringLiteral("kindEditor"), m_table));
    ChoiceDelegate::Choices types;
    for (const auto type : {FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Birthday, FieldType::Phone,
                            FieldType::Url, FieldType::Address})
        types.append({FieldTypes::displayName(type), FieldTypes::key(type)});
    m_table->setItemDelegateForColumn(FieldMappingController::ColTargetType,
                                      new ChoiceDelegate(types, QStringLiteral("targetTypeEditor"), m_table));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FieldMappingController::ColTargets, QHeaderView::Interactive);
    header->setSectionResizeMode(FieldMappingController::ColNote, QHeaderView::Stretch);
    header->setMinimumSectionSize(90);
    layout->addWidget(m_table, 3);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("fieldMappingError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #a01010; }"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    if (m_connections) {
        m_readTarget = new QPushButton(tr("Read the Target's Fields"), this);
        m_readTarget->setObjectName(QStringLiteral("readTargetFieldsButton"));
        m_readTarget->setToolTip(tr("Ask the target (with the key saved on the Connections step) which fields it "
                                    "already has, so that the mapping uses them instead of creating new ones."));
        connect(m_readTarget, &QPushButton::clicked, this, &FieldMappingPage::readTargetFields);
        buttons->addWidget(m_readTarget);
    }
    buttons->addStretch();
    m_resetRow = new QPushButton(tr("Reset this field"), this);
    m_resetRow->setObjectName(QStringLiteral("resetRowButton"));
    m_resetRow->setToolTip(tr("Put the suggestion back for the selected field."));
    connect(m_resetRow, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            m_mapping->resetRow(current.row());
    });
    buttons->addWidget(m_resetRow);
    m_resetAll = new QPushButton(tr("Reset to suggestion"), this);
    m_resetAll->setObjectName(QStringLiteral("resetMappingButton"));
    m_resetAll->setToolTip(tr("Forget every change and take the suggested mapping again."));
    connect(m_resetAll, &QPushButton::clicked, m_mapping, &FieldMappingController::resetAll);
    buttons->addWidget(m_resetAll);
    layout->addLayout(buttons);

    m_unmappedBox = new QGroupBox(tr("Not transferred"), this);
    m_unmappedBox->setObjectName(QStringLiteral("unmappedBox"));
    auto *boxLayout = new QVBoxLayout(m_unmappedBox);
    m_unmapped = new QTableView(m_unmappedBox);
    m_unmapped->setObjectName(QStringLiteral("unmappedTable"));
    m_unmapped->setModel(mapping->unmappedModel());
    m_unmapped->verticalHeader()->hide();
    m_unmapped->setWordWrap(false);
    m_unmapped->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_unmapped->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    boxLayout->addWidget(m_unmapped);
    layout->addWidget(m_unmappedBox, 1);

    connect(mapping, &FieldMappingController::mappingChanged, this, &FieldMappingPage::refresh);
    connect(mapping, &FieldMappingController::failed, this, [this](const Error &error) {
        m_error->setText(error.toString());
        m_error->show();
    });
    refresh();
}

void FieldMappingPage::readTargetFields()
{
    const std::optional<TargetPlatform> target = m_mapping->target();
    if (!target)
        return;
    m_readTarget->setEnabled(false);
    m_error->hide();
    m_connections->readFields(*target, {}, [this](Result<QList<FieldDefinition>> fields) {
        m_readTarget->setEnabled(m_mapping->state() == FieldMappingController::State::Ready);
        if (!fields) {
            const Error &e = fields.error();
            m_error->setText(QStringLiteral("<b>%1</b><br>%2").arg(e.summary().toHtmlEscaped(), e.hint.toHtmlEscaped()));
            m_error->show();
            return;
        }
        QStringList names;
        for (const FieldDefinition &f : fields.value())
            names.append(f.key);
        m_mapping->setTargetAttributes(names);
    }, this);
}

void FieldMappingPage::initializePage()
{
    m_mapping->reload();
}

void FieldMappingPage::refresh()
{
    const bool ready = m_mapping->state() == FieldMappingController::State::Ready;
    m_note->setText(m_mapping->stateText());
    m_note->setVisible(!ready);
    m_summary->setText(m_mapping->summary());
    m_summary->setVisible(ready);
    m_table->setEnabled(ready);
    m_resetRow->setEnabled(ready);
    if (m_readTarget)
        m_readTarget->setEnabled(ready);
    m_resetAll->setEnabled(ready && m_mapping->isSaved());
    m_unmappedBox->setVisible(ready && m_mapping->unmappedModel()->rowCount() > 0);
    if (!m_mapping->lastError())
        m_error->hide();
    // The target names column fits its longest entry up to a point; the note takes the rest.
    m_table->resizeColumnToContents(FieldMappingController::ColTargets);
    if (m_table->columnWidth(FieldMappingController::ColTargets) > 320)
        m_table->setColumnWidth(FieldMappingController::ColTargets, 320);
}
