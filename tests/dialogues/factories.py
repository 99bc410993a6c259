"""factory_boy factories for dialogue records."""

import datetime

import factory

from asmhub.taxonomy.models import Country, StakeholderType, Theme
from dialogues.models import (
    Dialogue,
    DialogueSeries,
    FollowUpAction,
    FollowUpUpdate,
    NamedParticipant,
    ParticipationCount,
    Session,
)


class DialogueSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueSeries
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"ASM and large-scale mining, series {n}")
    slug = factory.Sequence(lambda n: f"asm-lsm-series-{n}")


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Sharing concessions, dialogue {n}")
    slug = factory.Sequence(lambda n: f"sharing-concessions-{n}")
    issue = "Can artisanal miners work legally on land licensed to a large-scale company?"
    scope = Dialogue.Scope.NATIONAL
    start_date = datetime.date(2025, 3, 11)
    place = "Arusha, Tanzania"
    status = Dialogue.Status.HELD
    visibility = Dialogue.Visibility.PUBLIC
    is_published = True

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        """countries=["TZ", "PE"] (ISO codes)."""
        if create and extracted:
            self.countries.set(Country.objects.filter(code__in=extracted))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        """themes=["asm-lsm-relations"] (slugs)."""
        if create and extracted:
            self.themes.set(Theme.objects.filter(slug__in=extracted))

    @factory.post_generation
    def allowed_users(self, create, extracted, **kwargs):
        if create and extracted:
            self.allowed_users.set(extracted)


class ParticipationCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationCount

    dialogue = factory.SubFactory(DialogueFactory)
    stakeholder_type = factory.LazyFunction(lambda: StakeholderType.objects.get(slug="asm-miners"))
    women = 3
    men = 4
    other = 0


class NamedParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NamedParticipant

    dialogue = factory.SubFactory(DialogueFactory)
    name = factory.Sequence(lambda n: f"Invented Person {n}")
    role = "Speaker"
    consent_to_publish = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    dialogue = factory.SubFactory(DialogueFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2025, 3, 11, 9, tzinfo=datetime.UTC))


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    dialogue = factory.SubFactory(DialogueFactory)
    description = factory.Sequence(lambda n: f"Publish a model co-existence agreement {n}")
    responsible = "Ministry of Minerals"
    due_date = datetime.date(2025, 9, 30)


class FollowUpUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpUpdate

    action = factory.SubFactory(FollowUpActionFactory)
    date = datetime.date(2025, 4, 1)
    status = "in-progress"
