"""factory_boy factories for the shared kernel; component apps add theirs beside their tests."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from asmhub.profiles.models import CURATORS_GROUP, Organisation, Profile, User
from asmhub.taxonomy.models import Country

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Partners have a verified email (pass verified=False for one who has not confirmed)."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
            self.save()


class CuratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def curators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=CURATORS_GROUP))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Miners' Association {n}")
    slug = factory.Sequence(lambda n: f"miners-association-{n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="TZ"))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    organisation = factory.SubFactory(OrganisationFactory)


# ------------------------------------------------------------ shared component factories
# Resources and learning groups are used by several components' tests, so they live here.
class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.Resource"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Mercury-free gold processing in practice, part {n}")
    slug = factory.Sequence(lambda n: f"mercury-free-gold-processing-{n}")
    summary = "Lessons from artisanal gold miners who replaced amalgamation with gravity methods."
    resource_type = "report"
    authors = "Field Research Team"
    year = 2024
    status = "published"
    submitted_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        """countries=["TZ", "PE"] (ISO codes)."""
        if create and extracted:
            self.countries.set(Country.objects.filter(code__in=extracted))


class LearningGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.LearningGroup"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"National Learning Group {n}")
    slug = factory.Sequence(lambda n: f"learning-group-{n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="TZ"))
    description = "Miners' leaders, officials and researchers who meet every quarter."
    time_zone = "Africa/Dar_es_Salaam"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.Membership"

    group = factory.SubFactory(LearningGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
