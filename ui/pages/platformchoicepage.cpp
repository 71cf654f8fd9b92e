#include "pages/platformchoicepage.h"

#include "dialogs/prompts.h"
#include "plan/plancontroller.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace {

/** Shades each score from red (0) through amber to green (5), and outlines the chosen platform's column. */
class ScoreDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QVariant score = index.data(ScoringModel::ScoreRole);
        if (score.isValid()) {
            const double s = qBound(0.0, score.toDouble(), 1.0);
            const QColor colour = QColor::fromHsvF(s * 0.33, 0.35, 1.0);
            painter->fillRect(option.rect.adjusted(1, 1, -1, -1), colour);
        }
        QStyledItemDelegate::paint(painter, option, index);
        if (index.data(ScoringModel::ChosenRole).toBool()) {
            painter->save();
            painter->setPen(QPen(QColor(0x1e, 0x5a, 0x8c), 2));
            painter->drawLine(option.rect.topLeft(), option.rect.bottomLeft());
            painter->drawLine(option.rect.topRight(), option.rect.bottomRight());
            painter->restore();
        }
    }
};

} // namespace

PlatformChoicePage::PlatformChoicePage(PlanController *plan, QWidget *parent) : QWizardPage(parent), m_plan(plan)
{
    setObjectName(QStringLiteral("page_platformChoice"));
    setTitle(tr("Platform choice"));
    setSubTitle(tr("Which platform fits what the assessment found and what the objectives need?"));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Each candidate is scored 0 to 5 on every criterion from the platform catalog (hover a score "
                                "for the fact and its source). Change a weight to say what matters: 0 ignores a criterion, "
                                "5 makes it essential."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_matrix = new QTableView(this);
    m_matrix->setObjectName(QStringLiteral("scoringTable"));
    m_matrix->setModel(plan->scoringModel());
    m_matrix->setItemDelegate(new ScoreDelegate(m_matrix));
    m_matrix->verticalHeader()->hide();
    m_matrix->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_matrix->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->horizontalHeader()->setSectionResizeMode(ScoringModel::CriterionColumn, QHeaderView::Stretch);
    layout->addWidget(m_matrix, 1);

    auto *resetRow = new QHBoxLayout;
    resetRow->addStretch();
    auto *reset = new QPushButton(tr("Reset weights"), this);
    reset->setObjectName(QStringLiteral("resetWeightsButton"));
    connect(reset, &QPushButton::clicked, plan, &PlanController::resetWeights);
    resetRow->addWidget(reset);
    layout->addLayout(resetRow);

    auto *box = new QGroupBox(tr("Decision"), this);
    auto *boxLayout = new QVBoxLayout(box);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Target platform:"), box));
    m_candidates = new QComboBox(box);
    m_candidates->setObjectName(QStringLiteral("chosenPlatformCombo"));
    m_candidates->setMinimumContentsLength(24);
    row->addWidget(m_candidates);
    row->addStretch();
    boxLayout->addLayout(row);
    boxLayout->addWidget(new QLabel(tr("Reasons (they go into the plan):"), box));
    m_reasons = new QPlainTextEdit(box);
    m_reasons->setObjectName(QStringLiteral("reasonsEdit"));
    m_reasons->setPlaceholderText(tr("Why this platform: price, features, the team's experience, what the scores do not show…"));
    m_reasons->setMaximumHeight(90);
    boxLayout->addWidget(m_reasons);
    auto *decideRow = new QHBoxLayout;
    m_decision = new QLabel(box);
    m_decision->setObjectName(QStringLiteral("decisionLabel"));
    m_decision->setWordWrap(true);
    decideRow->addWidget(m_decision, 1);
    auto *record = new QPushButton(tr("Record decision"), box);
    record->setObjectName(QStringLiteral("recordDecisionButton"));
    connect(record, &QPushButton::clicked, this, &PlatformChoicePage::recordChoice);
    decideRow->addWidget(record);
    boxLayout->addLayout(decideRow);
    layout->addWidget(box);

    connect(plan, &PlanController::rankingChanged, this, &PlatformChoicePage::fillCandidates);
    connect(plan, &PlanController::choiceChanged, this, &PlatformChoicePage::showChoice);
    fillCandidates();
    showChoice();
    m_reasons->setPlainText(plan->choice().reasons);
    // The reasons are saved as they are typed, before and after the decision is recorded.
    connect(m_reasons, &QPlainTextEdit::textChanged, this, [this] { m_plan->setChoiceReasons(m_reasons->toPlainText().trimmed()); });
}

void PlatformChoicePage::initializePage()
{
    m_plan->rescore();
}

void PlatformChoicePage::fillCandidates()
{
    const QString current = m_candidates->currentData().toString();
    const QString chosen = m_plan->choice().platformId;
    m_candidates->clear();
    for (const PlatformScore &p : m_plan->ranking()) {
        QString label = tr("%1 (score %2)").arg(p.name, QLocale().toString(p.total, 'f', 0));
        if (!p.blockers.isEmpty())
            label += QStringLiteral(" \u26a0");
        m_candidates->addItem(label, p.platformId);
    }
    const QString select = !current.isEmpty() ? current : chosen;
    const int index = m_candidates->findData(select);
    m_candidates->setCurrentIndex(index >= 0 ? index : 0);
}

void PlatformChoicePage::showChoice()
{
    const PlatformChoice c = m_plan->choice();
    if (c.platformId.isEmpty()) {
        m_decision->setText(tr("No platform chosen yet."));
        return;
    }
    QString name = c.platformId;
    for (const PlatformScore &p : m_plan->ranking()) {
        if (p.platformId == c.platformId)
            name = p.name;
    }
    if (!m_reasons->hasFocus() && m_reasons->toPlainText().trimmed() != c.reasons) {
        const QSignalBlocker block(m_reasons);
        m_reasons->setPlainText(c.reasons);
    }
    m_decision->setText(tr("Chosen: <b>%1</b>, recorded %2.")
                            .arg(name.toHtmlEscaped(), QLocale().toString(c.decidedAt.toLocalTime(), QLocale::ShortFormat)));
    const int index = m_candidates->findData(c.platformId);
    if (index >= 0)
        m_candidates->setCurrentIndex(index);
}

void PlatformChoicePage::recordChoice()
{
    const QString id = m_candidates->currentData().toString();
    if (id.isEmpty())
        return;
    for (const PlatformScore &p : m_plan->ranking()) {
        if (p.platformId == id && !p.blockers.isEmpty()
            && !Prompts::instance().confirm(this, tr("Choose %1?").arg(p.name),
                                            tr("%1 fails an essential criterion:\n%2\n\nChoose it anyway?")
                                                .arg(p.name, p.blockers.join(u'\n'))))
            return;
    }
    m_plan->choose(id, m_reasons->toPlainText().trimmed());
}
