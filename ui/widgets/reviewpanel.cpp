#include "widgets/reviewpanel.h"

#include "dialogs/prompts.h"
#include "integrity/backuprecordsource.h"
#include "integrity/diffmodel.h"
#include "integrity/reviewreport.h"
#include "transfer/transfercontroller.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

/// Consent violations in red (the model says which rows are).
class ViolationDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(DiffModel::ConsentViolationRole).toBool()) {
            option->palette.setColor(QPalette::Text, QColor(0xb0, 0x00, 0x20));
            option->palette.setColor(QPalette::HighlightedText, QColor(0xff, 0xd0, 0xd0));
            option->font.setBold(true);
        }
    }
};

} // namespace

ReviewPanel::ReviewPanel(IntegrityReview *review, TransferController *transfer, QWidget *parent)
    : QWidget(parent)
    , m_review(review)
    , m_transfer(transfer)
    , m_model(new DiffModel(this))
{
    setObjectName(u"reviewPanel"_s);
    auto *layout = new QVBoxLayout(this);

    // What is compared, and the comparison.
    auto *head = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(u"reviewTitleLabel"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    head->addWidget(m_title, 1);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"reviewProgressBar"_s);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    head->addWidget(m_progress);
    m_compare = button(tr("Compare now"), u"compareButton"_s, this);
    m_compare->setToolTip(
        tr("Read the target back and compare it with the backup's contacts of this wave and "
           "the waves before it."));
    m_cancel = button(tr("Cancel"), u"cancelCompareButton"_s, this);
    head->addWidget(m_compare);
    head->addWidget(m_cancel);
    layout->addLayout(head);
    // On demand: the two files.
    m_filesBox = new QWidget(this);
    auto *filesLayout = new QGridLayout(m_filesBox);
    filesLayout->setContentsMargins(0, 0, 0, 0);
    const auto fileRow = [&](int row, const QString &label, const QString &name, bool mapping) {
        auto *edit = new QLineEdit(m_filesBox);
        edit->setObjectName(name + u"Edit"_s);
        auto *browseButton
            = button(tr("Browse…"), u"browse"_s + name.at(0).toUpper() + name.mid(1) + u"Button"_s,
                     m_filesBox);
        filesLayout->addWidget(new QLabel(label, m_filesBox), row, 0);
        filesLayout->addWidget(edit, row, 1);
        filesLayout->addWidget(browseButton, row, 2);
        connect(browseButton, &QPushButton::clicked, this,
                [this, edit, mapping] { browse(edit, mapping); });
        return edit;
    };
    m_sourceFile = fileRow(0, tr("Source (export or backup):"), u"sourceFile"_s, false);
    m_targetFile = fileRow(1, tr("Target (export or backup):"), u"targetFile"_s, false);
    m_mappingFile = fileRow(2, tr("Mapping file (optional):"), u"mappingFile"_s, true);
    m_sourceFile->setPlaceholderText(tr("A CSV export, or a backup's contacts.jsonl"));
    m_targetFile->setPlaceholderText(tr("A CSV export, or a backup's contacts.jsonl"));
    m_mappingFile->setPlaceholderText(
        tr("Known exports (Mailchimp, Brevo, Klaviyo) are mapped automatically"));
    m_filesBox->hide();
    layout->addWidget(m_filesBox);
    m_scope = new QLabel(this);
    m_scope->setObjectName(u"reviewScopeLabel"_s);
    m_scope->setWordWrap(true);
    layout->addWidget(m_scope);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"reviewSplitter"_s);
    layout->addWidget(split, 1);

    // Left: the summary, the filters and the differences.
    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(left);
    m_summary->setObjectName(u"reviewSummaryLabel"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_summary);
    auto *filters = new QHBoxLayout;
    m_kind = new QComboBox(left);
    m_kind->setObjectName(u"kindFilterCombo"_s);
    m_kind->addItem(tr("All differences"), -1);
    for (const DiffKind k : DiffKinds::kAll)
        m_kind->addItem(DiffKinds::displayName(k), int(k));
    m_field = new QComboBox(left);
    m_field->setObjectName(u"fieldFilterCombo"_s);
    m_text = new QLineEdit(left);
    m_text->setObjectName(u"textFilterEdit"_s);
    m_text->setPlaceholderText(tr("Find an email"));
    m_text->setClearButtonEnabled(true);
    m_export = button(tr("Export differences…"), u"exportDifferencesButton"_s, left);
    m_export->setToolTip(tr("Save every difference as CSV: one row per differing field."));
    filters->addWidget(m_kind);
    filters->addWidget(m_field);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_export);
    leftLayout->addLayout(filters);
    m_shown = new QLabel(left);
    m_shown->setObjectName(u"shownLabel"_s);
    leftLayout->addWidget(m_shown);
    m_table = new QTableView(left);
    m_table->setObjectName(u"differencesView"_s);
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ViolationDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    // A fixed row height and no resizing to contents: the view asks only for the rows it shows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(DiffModel::KindColumn, 150);
    m_table->setColumnWidth(DiffModel::EmailColumn, 240);
    m_table->setColumnWidth(DiffModel::FieldsColumn, 180);
    leftLayout->addWidget(m_table, 1);

    // Right: the selected difference, both sides.
    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_detailTitle = new QLabel(tr("Select a difference to see both records."), right);
    m_detailTitle->setObjectName(u"detailTitleLabel"_s);
    m_detailTitle->setWordWrap(true);
    rightLayout->addWidget(m_detailTitle);
    m_detail = new QTableWidget(0, 3, right);
    m_detail->setObjectName(u"detailTable"_s);
    m_detail->setHorizontalHeaderLabels({tr("Field"), tr("Source"), tr("Target")});
    m_detail->verticalHeader()->hide();
    m_detail->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_detail->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    rightLayout->addWidget(m_detail, 1);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    // The decision.
    auto *decision = new QGroupBox(tr("Decision"), this);
    m_decisionBox = decision;
    auto *decisionLayout = new QVBoxLayout(decision);
    m_history = new QLabel(decision);
    m_history->setObjectName(u"reviewHistoryLabel"_s);
    m_history->setWordWrap(true);
    decisionLayout->addWidget(m_history);
    auto *decideRow = new QHBoxLayout;
    m_comment = new QLineEdit(decision);
    m_comment->setObjectName(u"reviewCommentEdit"_s);
    m_comment->setPlaceholderText(tr("Comment (needed to reject, or to approve with differences)"));
    m_approve = button(tr("Approve"), u"reviewApproveButton"_s, decision);
    m_approve->setToolTip(
        tr("Record your approval with these figures; the next stage may then start."));
    m_reject = button(tr("Reject"), u"reviewRejectButton"_s, decision);
    m_reject->setToolTip(tr("Record that this wave is not accepted; the next stage stays locked."));
    decideRow->addWidget(m_comment, 1);
    decideRow->addWidget(m_approve);
    decideRow->addWidget(m_reject);
    decisionLayout->addLayout(decideRow);
    m_error = new QLabel(decision);
    m_error->setObjectName(u"reviewErrorLabel"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b00020"_s);
    m_error->hide();
    decisionLayout->addWidget(m_error);
    layout->addWidget(decision);

    connect(m_compare, &QPushButton::clicked, this, &ReviewPanel::compare);
    connect(m_cancel, &QPushButton::clicked, m_review, &IntegrityReview::cancel);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ReviewPanel::applyKindFilter);
    connect(m_field, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setFieldFilter(m_field->currentData().toInt()); });
    connect(m_text, &QLineEdit::textChanged, m_model, &DiffModel::setTextFilter);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_shown->setText(
            tr("%1 of %2 differences shown")
                .arg(QLocale().toString(m_model->rowCount()),
                     QLocale().toString(m_model->result() ? m_model->result()->rowCount() : 0)));
        showDetail();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ReviewPanel::showDetail);
    connect(m_export, &QPushButton::clicked, this, &ReviewPanel::exportCsv);
    connect(m_approve, &QPushButton::clicked, this, [this] { decide(true); });
    connect(m_reject, &QPushButton::clicked, this, [this] { decide(false); });
    connect(m_review, &IntegrityReview::started, this,
            [this](const QString &) { updateButtons(); });
    connect(m_review, &IntegrityReview::progressChanged, this, [this](const DiffProgress &p) {
        const QString phase = p.phase == DiffProgress::Phase::Reading ? tr("Reading")
                              : p.phase == DiffProgress::Phase::Details
                                  ? tr("Reading the differences")
                                  : tr("Comparing");
        m_progress->setFormat(tr("%1: %2 source, %3 target")
                                  .arg(phase, QLocale().toString(p.sourceRecords),
                                       QLocale().toString(p.targetRecords)));
    });
    connect(m_review, &IntegrityReview::finished, this, [this](const QString &key) {
        if (key == this->key())
            showDiff();
        updateButtons();
    });
    connect(m_review, &IntegrityReview::failed, this, [this](const QString &key, const Error &e) {
        if (key == this->key()) {
            m_error->setText(tr("The comparison failed: %1").arg(e.toString()));
            m_error->show();
        }
        updateButtons();
    });
    connect(m_review, &IntegrityReview::reviewsChanged, this, &ReviewPanel::showDecisions);
    connect(m_transfer, &TransferController::journalChanged, this, &ReviewPanel::updateButtons);
}

void ReviewPanel::setStage(const StageRef &ref)
{
    m_ref = ref;
    m_title->setText(tr("Integrity review of %1").arg(ref.title()));
    m_error->hide();
    showDiff();
    showDecisions();
}

void ReviewPanel::setFilesMode()
{
    m_files = true;
    m_title->setText(tr("Compare two files"));
    m_filesBox->show();
    m_decisionBox->hide();
    m_compare->setToolTip(tr("Compare the two files, contact by contact and field by field."));
    m_error->hide();
    showDiff();
}

QString ReviewPanel::key() const
{
    return m_files ? IntegrityReview::kFilesKey.toString() : m_ref.id();
}

void ReviewPanel::browse(QLineEdit *edit, bool mapping)
{
    const QString folder = edit->text().isEmpty()
                               ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                               : QFileInfo(edit->text()).path();
    const QString path = Prompts::instance().openFilePath(
        this, mapping ? tr("Mapping File") : tr("File to Compare"), folder,
        mapping ? tr("CSV files (*.csv *.txt)")
                : tr("Exports and backups (*.csv *.txt *.jsonl);;All files (*)"));
    if (!path.isEmpty())
        edit->setText(path);
}

void ReviewPanel::compare()
{
    m_error->hide();
    if (m_files) {
        // A backup is a folder: its contacts.jsonl (or manifest.json) stands for it.
        const auto side = [](const QString &path) {
            const QFileInfo info(path.trimmed());
            return info.isFile() && BackupRecordSource::isBackupFolder(info.path())
                       ? info.path()
                       : path.trimmed();
        };
        if (m_sourceFile->text().trimmed().isEmpty() || m_targetFile->text().trimmed().isEmpty()) {
            m_error->setText(tr("Choose both files first."));
            m_error->show();
            return;
        }
        if (!m_review->compareFiles(side(m_sourceFile->text()), side(m_targetFile->text()),
                                    m_mappingFile->text().trimmed())) {
            m_error->setText(tr("Another comparison is running; wait for it or cancel it."));
            m_error->show();
        }
        updateButtons();
        return;
    }
    if (!m_review->reviewStage(m_ref)) {
        m_error->setText(tr("Another comparison is running; wait for it or cancel it."));
        m_error->show();
    }
    updateButtons();
}
